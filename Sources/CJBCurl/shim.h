// libcurl for jb's HTTP client. curl's setopt/getinfo are C variadic functions, which Swift
// cannot call; these typed wrappers can be.
#include <curl/curl.h>

static inline CURLcode jb_easy_setopt_long(CURL *h, CURLoption o, long v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode jb_easy_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode jb_easy_setopt_ptr(CURL *h, CURLoption o, const void *v) { return curl_easy_setopt(h, o, v); }
static inline CURLcode jb_easy_setopt_write(CURL *h, CURLoption o, curl_write_callback f) { return curl_easy_setopt(h, o, f); }
static inline CURLcode jb_easy_getinfo_long(CURL *h, CURLINFO i, long *v) { return curl_easy_getinfo(h, i, v); }
static inline CURLMcode jb_multi_setopt_long(CURLM *m, CURLMoption o, long v) { return curl_multi_setopt(m, o, v); }
static inline CURL *jb_msg_easy(CURLMsg *m) { return m->easy_handle; }
static inline CURLcode jb_msg_result(CURLMsg *m) { return m->data.result; }
static inline int jb_msg_done(CURLMsg *m) { return m->msg == CURLMSG_DONE; }

// The multi handle's socket interface, driven by epoll.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

static inline CURLMcode jb_multi_setopt_ptr(CURLM *m, CURLMoption o, void *v) { return curl_multi_setopt(m, o, v); }
static inline CURLMcode jb_multi_setopt_socketfunction(CURLM *m, curl_socket_callback f) { return curl_multi_setopt(m, CURLMOPT_SOCKETFUNCTION, f); }
static inline CURLMcode jb_multi_setopt_timerfunction(CURLM *m, curl_multi_timer_callback f) { return curl_multi_setopt(m, CURLMOPT_TIMERFUNCTION, f); }

/// Watches `fd` for what curl asks (CURL_POLL_IN, _OUT, _INOUT), or stops watching (_REMOVE).
static inline int jb_epoll_watch(int ep, int fd, int what, int known) {
    struct epoll_event ev = {0};
    ev.data.fd = fd;
    if (what == CURL_POLL_REMOVE) return epoll_ctl(ep, EPOLL_CTL_DEL, fd, &ev);
    ev.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0);
    if (known) {
        if (epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev) == 0) return 0;
        return epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
    }
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) == 0) return 0;
    return epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ev);
}

/// Waits for events: fills `fds` and curl's CURL_CSELECT_* flags for each; returns how many.
static inline int jb_epoll_wait(int ep, int *fds, int *flags, int max, int timeout_ms) {
    struct epoll_event evs[512];
    if (max > 512) max = 512;
    int n = epoll_wait(ep, evs, max, timeout_ms);
    for (int i = 0; i < n; i++) {
        fds[i] = evs[i].data.fd;
        flags[i] = ((evs[i].events & EPOLLIN) ? CURL_CSELECT_IN : 0)
                 | ((evs[i].events & EPOLLOUT) ? CURL_CSELECT_OUT : 0)
                 | ((evs[i].events & (EPOLLERR | EPOLLHUP)) ? CURL_CSELECT_ERR : 0);
    }
    return n;
}

static inline int jb_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }
static inline void jb_eventfd_signal(int fd) { uint64_t one = 1; ssize_t r = write(fd, &one, sizeof one); (void)r; }
static inline void jb_eventfd_drain(int fd) { uint64_t v; ssize_t r = read(fd, &v, sizeof v); (void)r; }
