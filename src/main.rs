//! The `topictrack` command: parses arguments and calls the library (see `cli/`).

mod cli;

// mimalloc instead of the system allocator: the pipeline makes millions of small allocations
// (strings, per-document vectors) and large short-lived arrays; on 20 Newsgroups the whole run
// went from 1.53 s to 1.44 s (median of 3 in scripts/bench-vs-sklearn), at ~10% more peak memory.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (v3 numbering; `libmimalloc-sys` has no constant for it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

fn main() {
    // Never hand freed memory back to the OS during a run. Each stage frees large buffers that
    // the next one allocates again; when they are returned (mimalloc's default: after 10 ms),
    // the next stage faults fresh pages in, and zeroing those pages took up to a third of the
    // CPU time on 20 Newsgroups (sys time 0.15–0.67 s per run against 0.03–0.17 s without;
    // peak memory is unchanged, as it is the high-water mark either way).
    // SAFETY: plain calls into the allocator's option table, made before any other thread
    // starts. The default is checked first so that a renumbered option is never set blindly.
    unsafe {
        if libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) == 10 {
            libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1);
        }
    }
    std::process::exit(cli::main());
}
