//go:build unix

package atomicfile

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// Another user's symbolic link in a sticky world-writable folder (/tmp)
// is not followed: it named a file of ours (a shell's start-up file) to
// be created, or replaced, with what we write (a --session file holding
// a hostile gateway's cookie "$(touch${IFS}/tmp/pwned)", run by the
// next shell). Ours, or the folder owner's, is followed as before, and
// so is any link in a folder that is not sticky. Changing a link's owner
// takes root: the test is skipped otherwise.
func TestForeignLinkNotFollowed(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root, to make a link of another user")
	}
	base := t.TempDir()
	tmp := filepath.Join(base, "tmp")
	home := filepath.Join(base, "home")
	for _, d := range []string{tmp, home} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Chmod(tmp, 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	const other = 54321 // a user that is neither us nor tmp's owner
	link := func(name, target string, uid int) string {
		t.Helper()
		p := filepath.Join(tmp, name)
		if err := os.Symlink(target, p); err != nil {
			t.Fatal(err)
		}
		if err := os.Lchown(p, uid, uid); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write := func(path string) error {
		f, err := Create(path, 0o600)
		if err != nil {
			return err
		}
		defer f.Cleanup()
		if _, err := f.Write([]byte("new\n")); err != nil {
			return err
		}
		return f.CloseAtomicallyReplace()
	}

	rc := filepath.Join(home, "rc.sh")
	if err := os.WriteFile(rc, []byte("old\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	profile := filepath.Join(home, "profile.sh") // not there: a dangling link
	for _, tc := range []struct{ name, target string }{{"s.json", rc}, {"d.json", profile}, {"rel.json", "../home/profile.sh"}} {
		p := link(tc.name, tc.target, other)
		err := write(p)
		var pe *os.PathError
		if !errors.Is(err, ErrForeignLink) || !errors.As(err, &pe) || pe.Path != p {
			t.Errorf("%s -> %s: err %v, want ErrForeignLink naming the link", tc.name, tc.target, err)
		}
		// A link to such a link is refused too.
		if err := write(link("via-"+tc.name, p, os.Geteuid())); !errors.Is(err, ErrForeignLink) {
			t.Errorf("via a link of ours to %s: err %v, want ErrForeignLink", tc.name, err)
		}
	}
	if b, _ := os.ReadFile(rc); string(b) != "old\n" {
		t.Errorf("rc.sh holds %q", b)
	}
	if _, err := os.Stat(profile); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("profile.sh was created: %v", err)
	}
	if ents, _ := os.ReadDir(home); len(ents) != 1 {
		t.Errorf("%d files in home, want rc.sh alone", len(ents))
	}

	// Our own link, in the same folder, is followed.
	if err := write(link("mine.json", rc, os.Geteuid())); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(rc); string(b) != "new\n" {
		t.Errorf("through our link, rc.sh holds %q", b)
	}
	// The folder owner's (root's /tmp holds root's links) is followed.
	if err := os.Chown(tmp, other, other); err != nil {
		t.Fatal(err)
	}
	if err := write(link("owner.json", profile, other)); err != nil {
		t.Fatalf("a link of the folder's owner: %v", err)
	}
	// A folder that is not sticky: followed, as the kernel does.
	if err := os.Chmod(tmp, 0o777); err != nil {
		t.Fatal(err)
	}
	os.Remove(profile)
	if err := write(filepath.Join(tmp, "d.json")); err != nil {
		t.Fatalf("not sticky: %v", err)
	}
	if b, _ := os.ReadFile(profile); string(b) != "new\n" {
		t.Errorf("profile.sh holds %q", b)
	}
}

// A session file that another user put in /tmp first (or a link of
// theirs) is not read as ours: its cookies would fix our session for
// them. Ours, the folder owner's, and files elsewhere are read.
func TestCheckShared(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root, to make a file of another user")
	}
	tmp := filepath.Join(t.TempDir(), "tmp")
	if err := os.Mkdir(tmp, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(tmp, 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	const other = 54321
	file := func(name string, uid int) string {
		t.Helper()
		p := filepath.Join(tmp, name)
		if err := os.WriteFile(p, []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chown(p, uid, uid); err != nil {
			t.Fatal(err)
		}
		return p
	}
	theirs := file("theirs.json", other)
	if err := CheckShared(theirs); !errors.Is(err, ErrForeignFile) {
		t.Errorf("another user's file: %v, want ErrForeignFile", err)
	}
	mine := filepath.Join(tmp, "link.json")
	if err := os.Symlink(theirs, mine); err != nil {
		t.Fatal(err)
	}
	if err := CheckShared(mine); !errors.Is(err, ErrForeignFile) {
		t.Errorf("our link to it: %v, want ErrForeignFile", err)
	}
	foreign := filepath.Join(tmp, "foreign.json")
	if err := os.Symlink(file("ours.json", os.Geteuid()), foreign); err != nil {
		t.Fatal(err)
	}
	if err := os.Lchown(foreign, other, other); err != nil {
		t.Fatal(err)
	}
	if err := CheckShared(foreign); !errors.Is(err, ErrForeignLink) {
		t.Errorf("their link: %v, want ErrForeignLink", err)
	}
	for _, p := range []string{filepath.Join(tmp, "ours.json"), filepath.Join(tmp, "missing.json")} {
		if err := CheckShared(p); err != nil {
			t.Errorf("%s: %v", filepath.Base(p), err)
		}
	}
	// Not sticky: any file is read, as before.
	if err := os.Chmod(tmp, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := CheckShared(theirs); err != nil {
		t.Errorf("not sticky: %v", err)
	}
}
