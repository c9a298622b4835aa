// Package readonlymem gives tests memory that takes no writes, to show
// that a decoder leaves its caller's bytes alone: [Copy] puts bytes there
// (a write then faults), [NoWrite] turns such a fault into a test error.
// Unix only (mmap and mprotect); elsewhere the package is empty.
package readonlymem
