package atomicfile

import (
	"errors"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
)

// portable is a pending file made with the os package alone: what
// renameio does, for Windows. It is built everywhere, so that its tests
// run on Linux too.
type portable struct {
	f            *os.File
	root         *os.Root // nil: tmp and target are paths
	tmp, target  string
	closed, done bool
	// inUse says a rename failed because the target is held open
	// (Windows), which passes: the rename is tried again a while.
	inUse func(error) bool
}

// tempTries bounds the names tried for the temporary file. A name is
// taken only by a leftover of the same random name.
const tempTries = 100

func createPortable(root *os.Root, target string, perm os.FileMode, keep bool) (pending, error) {
	perm &= os.ModePerm
	chmod := false
	if keep {
		st, err := lstat(root, target)
		switch {
		case err == nil && st.Mode().IsRegular():
			perm, chmod = st.Mode()&os.ModePerm, true
		case err != nil && !errors.Is(err, fs.ErrNotExist):
			return nil, err
		}
	}
	dir, base := filepath.Split(target)
	p := &portable{root: root, target: target, inUse: inUse}
	for i := 0; ; i++ {
		// O_EXCL: never open a file that is there already.
		name := filepath.Join(dir, "."+base+strconv.FormatUint(rand.Uint64(), 36))
		f, err := openFile(root, name, os.O_RDWR|os.O_CREATE|os.O_EXCL, perm)
		if err == nil {
			p.f, p.tmp = f, name
			break
		}
		if !errors.Is(err, fs.ErrExist) || i == tempTries {
			return nil, err
		}
	}
	if chmod {
		// The existing file's mode, exactly: the umask took bits off.
		if err := p.f.Chmod(perm); err != nil {
			p.Cleanup()
			return nil, err
		}
	}
	return p, nil
}

func lstat(root *os.Root, name string) (os.FileInfo, error) {
	if root != nil {
		return root.Lstat(name)
	}
	return os.Lstat(name)
}

func openFile(root *os.Root, name string, flag int, perm os.FileMode) (*os.File, error) {
	if root != nil {
		return root.OpenFile(name, flag, perm)
	}
	return os.OpenFile(name, flag, perm)
}

func (p *portable) Write(b []byte) (int, error)  { return p.f.Write(b) }
func (p *portable) Chmod(mode os.FileMode) error { return p.f.Chmod(mode) }

func (p *portable) CloseAtomicallyReplace() error {
	if err := p.f.Sync(); err != nil {
		return err
	}
	p.closed = true
	if err := p.f.Close(); err != nil {
		return err
	}
	err := renameRetrying(p.target, func() error {
		if p.root != nil {
			return p.root.Rename(p.tmp, p.target)
		}
		return os.Rename(p.tmp, p.target)
	}, p.inUse)
	if err != nil {
		return err
	}
	p.done = true
	return nil
}

func (p *portable) Cleanup() error {
	if p.done {
		return nil
	}
	var closeErr error
	if !p.closed {
		// Windows removes no open file: close first.
		p.closed = true
		closeErr = p.f.Close()
	}
	var err error
	if p.root != nil {
		err = p.root.Remove(p.tmp)
	} else {
		err = os.Remove(p.tmp)
	}
	if err != nil {
		return err
	}
	p.done = true
	return closeErr
}
