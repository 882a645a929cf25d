/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_TOOLS_TRACE_CMD_H
#define IPTLINT_TOOLS_TRACE_CMD_H

/* "iptlint trace ...": @argv[0] is "trace". Returns the exit status. */
int trace_main(int argc, char **argv);

#endif
