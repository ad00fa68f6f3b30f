// SPDX-License-Identifier: GPL-2.0
/* libFuzzer: the "npt" command-line parser (xlate_args.h). */
#define KIND xlate_npt
#include "xlate_args.h"
