#ifndef DEVWORKFLOW_CSYSTEM_SHIM_H
#define DEVWORKFLOW_CSYSTEM_SHIM_H
/* C library calls that Swift's Glibc module leaves out because they are GNU extensions
   (declared by glibc's headers only under _GNU_SOURCE). Declared here, defined in libc. */

/* A pipe created with flags (O_CLOEXEC) in one step: no other thread's fork/spawn can come in
   between and inherit it, as it could between pipe() and fcntl(). */
int pipe2(int pipefd[2], int flags);

#endif
