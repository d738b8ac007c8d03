//! Every `unsafe` block of the crate, behind safe functions (the crate root denies
//! `unsafe_code`; only this module allows it). Each function states the contract that makes
//! its unsafe operations sound and checks what it cannot leave to the caller.

/// Views settings that just passed validation as [`Checked`](crate::params::Checked) settings,
/// without copying them (what linfa's `ParamGuard::check_ref` returns).
pub(crate) fn checked_ref<P>(p: &P) -> &crate::params::Checked<P> {
    // SAFETY: `Checked<P>` is `#[repr(transparent)]` over `P`, so both have the same layout
    // and a valid `&P` is a valid `&Checked<P>` for the same lifetime.
    unsafe { &*(p as *const P as *const crate::params::Checked<P>) }
}
