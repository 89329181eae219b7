/* The few string and memory routines firmware needs (GCC may also emit
 * calls to memcpy/memset/memcmp for structure copies). */
#ifndef KELP_STRING_H
#define KELP_STRING_H
#include "lib/types.h"
void *memset(void *d, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
void *memmove(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
#endif
