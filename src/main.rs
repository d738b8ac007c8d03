//! The `topictrack` command: parses arguments and calls the library (see `cli/`).

mod cli;

// mimalloc instead of the system allocator: the pipeline makes millions of small allocations
// (strings, per-document vectors) and large short-lived arrays; on 20 Newsgroups the whole run
// went from 1.53 s to 1.44 s (median of 3 in scripts/bench-vs-sklearn), at ~10% more peak memory.
// Built with `no_thp` (Cargo.toml): by default mimalloc madvises its arenas for transparent huge
// pages, and under the common `defrag=madvise` kernel setting such faults may compact memory
// first; identical 20 Newsgroups runs then took 0.73 s or 1.0-1.2 s (0.35-0.57 s system time).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cli::main());
}
