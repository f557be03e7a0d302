//! What the process asks of the system's allocator.

/// Has blocks of a quarter of a megabyte or more come from mappings of
/// their own, given back to the system as soon as they are freed.
///
/// glibc's malloc does so only above a threshold that it raises (up to
/// 32 MiB) each time such a block is freed: once a load has grown and
/// freed a few columns, blocks of megabytes come from its heaps, and the
/// ones freed stay held by the process. A large file is read in parts on
/// several threads, each part's columns freed once joined to the first's,
/// on another thread than the one that made them: with the threshold
/// left to move, that memory stays held beside the events at the load's
/// peak. Elsewhere than on glibc this does nothing.
pub fn give_back_freed_blocks() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const THRESHOLD: libc::c_int = 256 * 1024;
        // SAFETY: `mallopt` only sets one of the allocator's parameters,
        // which glibc allows at any time; a value it does not take (it
        // returns 0) leaves the allocator as it was.
        #[allow(unsafe_code)]
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, THRESHOLD);
        }
    }
}
