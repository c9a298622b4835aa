//go:build !unix

package atomicfile

func umask(m int) int { return 0 }
