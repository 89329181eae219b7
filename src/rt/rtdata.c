/* The runtime's state (see rtdata.h), first in the RW zone. */
#include "rtdata.h"
struct rtdata rtdata;
