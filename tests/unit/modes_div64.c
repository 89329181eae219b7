/* Instantiates the inline helpers of div64.h so that `make unit-modes` can
 * check the code they generate in the firmware builds. */
#include "../../src/lib/div64.h"

u32 modes_div64_32(u64 *n, u32 d);

u32 modes_div64_32(u64 *n, u32 d)
{
    return div64_32(n, d);
}
