//! The hot numeric kernels, and with them every `unsafe` block of the crate, behind safe
//! functions: the crate root denies `unsafe_code` and only this module allows it.
//!
//! Contracts, in one place:
//! - [`simd`]: AVX2 versions run only after `is_x86_feature_detected!("avx2")`; loads stay
//!   inside the slices (lengths checked before the loop); the sparse-row kernel writes every
//!   element of its output, which may therefore start uninitialised.
//! - [`half`]: the AVX2 + F16C version runs only after both features are detected; indices
//!   are rows of the operand (a CSR matrix's indices are below its column count, checked
//!   against the operand's rows once per product), and panels never read past a row's padded
//!   stride; the row kernel writes every element of its output.
//! - [`sparse`]: outputs allocated without zeroing are handed out only once every element has
//!   been written (by a kernel that writes all of its output, or from an iterator padded with
//!   zeros); the parallel transpose writes each output slot exactly once, from disjoint
//!   position ranges computed from the column counts; CSR structures are passed to
//!   `CsMat::new_unchecked` only when built so (transpose) or checked first (`csr_checked`).
//!
//! Each `unsafe` block carries a `SAFETY:` comment with its reason.

mod half;
mod simd;
mod sparse;

pub use half::{spmm_csr_half, HalfMatrix};
pub use simd::{dot, dots};
pub use sparse::{csr_checked, par_blocks, spmm_csr, transpose_csr};
