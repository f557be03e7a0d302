//! Asking for memory before it is needed.

/// Asks for the cache line that holds `value`, without waiting for it:
/// the loader knows the keys of the rows to come, and a lookup's trip to
/// memory can then end while it works on the rows before.
#[inline]
pub fn prefetch<T>(value: &T) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse"))]
    safe_arch::prefetch_t0(value);
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse")))]
    let _ = value;
}

/// Asks for the cache line that holds `value` to write it: the line comes
/// as this core's own, where [`prefetch`] would bring a copy another core
/// must then give up on the first write.
#[inline]
pub fn prefetch_to_write<T>(value: &T) {
    #[cfg(all(target_arch = "x86_64", target_feature = "sse"))]
    safe_arch::prefetch_et0(value);
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse")))]
    let _ = value;
}
