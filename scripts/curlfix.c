/*
 * LD_PRELOAD shim for Debian 12's SyncEvolution 2.0.0 client, which crashes on its first
 * HTTP POST: CurlTransportAgent passes captureless lambdas through curl_easy_setopt's
 * varargs for CURLOPT_WRITEFUNCTION/READFUNCTION, so libcurl gets no usable callback and
 * falls back to fread/fwrite on the agent object. This wrapper substitutes plain C
 * callbacks that call the agent's exported readData/writeData members (see
 * ../shared/notes/syncevolution.md §5). Used by the interop tests only.
 *
 * Build: gcc -O2 -shared -fPIC -o curlfix.so curlfix.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>

typedef void CURL;
typedef int CURLoption;
typedef int CURLcode;
typedef int64_t curl_off_t;
typedef CURLcode (*setopt_fn)(CURL *, CURLoption, ...);
typedef size_t (*member_fn)(void *self, void *buffer, size_t length);

enum { WRITEFUNCTION = 20011, READFUNCTION = 20012 };

static setopt_fn real_setopt;
static member_fn read_member, write_member;

static void resolve(void) {
    if (real_setopt) return;
    real_setopt = (setopt_fn)dlsym(RTLD_NEXT, "curl_easy_setopt");
    read_member = (member_fn)dlsym(RTLD_DEFAULT, "_ZN7SyncEvo18CurlTransportAgent8readDataEPvm");
    write_member = (member_fn)dlsym(RTLD_DEFAULT, "_ZN7SyncEvo18CurlTransportAgent9writeDataEPvm");
    if (!real_setopt) {
        fprintf(stderr, "curlfix: curl_easy_setopt not found\n");
        abort();
    }
}

static size_t write_callback(char *buffer, size_t size, size_t count, void *agent) {
    return write_member(agent, buffer, size * count);
}

static size_t read_callback(char *buffer, size_t size, size_t count, void *agent) {
    return read_member(agent, buffer, size * count);
}

CURLcode curl_easy_setopt(CURL *handle, CURLoption option, ...) {
    resolve();
    va_list args;
    va_start(args, option);
    CURLcode result;
    if (option == WRITEFUNCTION || option == READFUNCTION) {
        (void)va_arg(args, void *);
        member_fn member = option == WRITEFUNCTION ? write_member : read_member;
        if (!member) {
            fprintf(stderr, "curlfix: SyncEvo::CurlTransportAgent::%s not found\n",
                    option == WRITEFUNCTION ? "writeData" : "readData");
            abort();
        }
        result = real_setopt(handle, option, option == WRITEFUNCTION ? (void *)write_callback : (void *)read_callback);
    } else if (option < 10000) {
        result = real_setopt(handle, option, va_arg(args, long));
    } else if (option < 30000) {
        result = real_setopt(handle, option, va_arg(args, void *));
    } else if (option < 40000) {
        result = real_setopt(handle, option, va_arg(args, curl_off_t));
    } else {
        result = real_setopt(handle, option, va_arg(args, void *));
    }
    va_end(args);
    return result;
}
