/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef IPTLINT_PARSER_FAMILY_H
#define IPTLINT_PARSER_FAMILY_H

#include "iptlint/source.h"

/* VAL_FAM_V4, VAL_FAM_V6, or VAL_FAM_ANY when the file does not tell. */
int family_detect(const struct source *src);

#endif
