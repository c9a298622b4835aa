package client

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// Held by one, the lock is not taken by another until released; every
// taker of it gets it in turn (no two inside at once).
func TestLockSessionFileExcludes(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.json")
	var inside, most int
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			unlock, err := LockSessionFile(path)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			inside++
			most = max(most, inside)
			mu.Unlock()
			time.Sleep(20 * time.Millisecond)
			mu.Lock()
			inside--
			mu.Unlock()
			unlock()
		}()
	}
	wg.Wait()
	if most != 1 {
		t.Errorf("%d holders at once", most)
	}
	if _, err := os.Stat(path + ".lock"); !os.IsNotExist(err) {
		t.Errorf("the lock file is left behind (%v)", err)
	}
}

// A lock held past the wait: ErrSessionLocked, after about lockWait. A
// lock file left by a command that died (older than staleLock) is
// taken over at once.
func TestLockSessionFileWaitAndStale(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.json")
	unlock, err := LockSessionFile(path)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := LockSessionFile(path); !errors.Is(err, ErrSessionLocked) || time.Since(start) < lockWait {
		t.Errorf("second lock: %v after %v, want ErrSessionLocked after %v", err, time.Since(start), lockWait)
	}
	unlock()

	old := time.Now().Add(-2 * staleLock)
	if err := os.WriteFile(path+".lock", nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(path+".lock", old, old); err != nil {
		t.Fatal(err)
	}
	unlock, err = LockSessionFile(path)
	if err != nil {
		t.Fatalf("a stale lock was not taken over: %v", err)
	}
	unlock()
}

// A folder that does not exist: the error says so at once (the caller
// writes without the lock, and fails there as before).
func TestLockSessionFileNoFolder(t *testing.T) {
	_, err := LockSessionFile(filepath.Join(t.TempDir(), "missing", "s.json"))
	if err == nil || errors.Is(err, ErrSessionLocked) {
		t.Errorf("got %v", err)
	}
}
