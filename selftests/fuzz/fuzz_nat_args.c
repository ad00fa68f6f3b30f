// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: the "nat" command-line parser (xlate_args.h). */
#define KIND xlate_nat
#include "xlate_args.h"
