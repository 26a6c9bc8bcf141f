/*
 * Telling ASan, TSan and valgrind about stack switches. Each part compiles to
 * nothing unless that tool is in use (valgrind: when its header was found;
 * its requests cost a few instructions outside valgrind).
 */
#ifndef GREENLET_NATIVE_TOOLS_H
#define GREENLET_NATIVE_TOOLS_H

#ifndef __has_feature
#define __has_feature(x) 0
#endif

#if defined(__SANITIZE_ADDRESS__) || __has_feature(address_sanitizer)
#define GREENLET_ASAN 1
#include <sanitizer/common_interface_defs.h>
#else
#define GREENLET_ASAN 0
#endif

#if defined(__SANITIZE_THREAD__) || __has_feature(thread_sanitizer)
#define GREENLET_TSAN 1
#include <sanitizer/tsan_interface.h>
#else
#define GREENLET_TSAN 0
#endif

#if defined(GREENLET_HAVE_VALGRIND_H)
#include <valgrind/valgrind.h>
#define TOOLS_VALGRIND_REGISTER(lo, hi) VALGRIND_STACK_REGISTER((lo), (hi))
#define TOOLS_VALGRIND_DEREGISTER(id) VALGRIND_STACK_DEREGISTER(id)
#else
#define TOOLS_VALGRIND_REGISTER(lo, hi) 0u
#define TOOLS_VALGRIND_DEREGISTER(id) ((void)(id))
#endif

#endif /* GREENLET_NATIVE_TOOLS_H */
