//! The settings convention shared by every stage (linfa's `ParamGuard` shape).
//!
//! - `XParams`: the stage's settings as a plain struct with public fields, `Default` (each
//!   default documented on its field) and serde, so a caller writes
//!   `SvdParams { dims: 50, ..Default::default() }` and a run records what it used.
//! - [`Checked<XParams>`] (aliased `ValidXParams` in the stage): settings that passed
//!   [`Validate::validate`]. It only derefs to the settings, never mutably, so a checked value
//!   cannot be changed back into an invalid one; stage functions take it, so they need not
//!   re-check.
//! - [`linfa::ParamGuard`] is implemented for every `XParams` (by [`param_guard!`]):
//!   `check()` consumes the settings, `check_ref()` borrows them, and through linfa's blanket
//!   impl an unchecked `XParams` can call `Fit::fit` directly, as linfa's own algorithms can.
//! - A rejected value is one [`Error::InvalidParam`](crate::Error::InvalidParam) naming the
//!   setting as `stage.field` (`svd.dims`), never a command-line flag: the library does not
//!   know how it was called; the CLI maps setting names to its flags.

use ref_cast::RefCast;
use serde::Serialize;

use crate::Result;

pub use linfa::ParamGuard;

/// Settings that passed their stage's validation; derefs to them (read-only).
///
/// `repr(transparent)` over `P`, so that `ref_cast` views a `&P` that just passed validation as a
/// `&Checked<P>` without copying (what linfa's `check_ref` returns).
#[repr(transparent)]
#[derive(Debug, Clone, PartialEq, Serialize, RefCast)]
#[serde(transparent)]
pub struct Checked<P>(P);

impl<P> Checked<P> {
    /// The settings, unchecked again (to change one and check them anew).
    pub fn into_inner(self) -> P {
        self.0
    }
}

impl<P> std::ops::Deref for Checked<P> {
    type Target = P;
    fn deref(&self) -> &P {
        &self.0
    }
}

/// A stage's validation: the first invalid setting as an error, `Ok(())` otherwise.
pub trait Validate {
    /// Checks every setting.
    fn validate(&self) -> Result<()>;
}

/// `check_ref` of [`param_guard!`]: validates `p` and views it as checked.
pub fn check_ref<P: Validate>(p: &P) -> Result<&Checked<P>> {
    p.validate()?;
    Ok(Checked::ref_cast(p))
}

/// `check` of [`param_guard!`]: validates `p` and wraps it.
pub fn check<P: Validate>(p: P) -> Result<Checked<P>> {
    p.validate()?;
    Ok(Checked(p))
}

/// Implements [`linfa::ParamGuard`] for settings types that implement [`Validate`].
macro_rules! param_guard {
    ($($p:ty),+ $(,)?) => {$(
        impl $crate::params::ParamGuard for $p {
            type Checked = $crate::params::Checked<$p>;
            type Error = $crate::Error;
            fn check_ref(&self) -> $crate::Result<&Self::Checked> {
                $crate::params::check_ref(self)
            }
            fn check(self) -> $crate::Result<Self::Checked> {
                $crate::params::check(self)
            }
        }
    )+};
}
pub(crate) use param_guard;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Error;

    #[derive(Debug, Clone, PartialEq, Default)]
    struct Demo {
        n: usize,
    }

    impl Validate for Demo {
        fn validate(&self) -> Result<()> {
            if self.n == 0 {
                return Err(Error::param("demo.n", 0, "must be at least 1"));
            }
            Ok(())
        }
    }

    param_guard!(Demo);

    #[test]
    fn check_and_check_ref_agree() {
        let good = Demo { n: 3 };
        assert_eq!(good.check_ref().unwrap().n, 3);
        assert_eq!(good.clone().check().unwrap().into_inner(), good);
        let bad = Demo::default();
        let e = bad.check_ref().unwrap_err().to_string();
        assert!(e.contains("demo.n"), "{e}");
        assert!(bad.check().is_err());
    }
}
