package commands

// Ctrl-C (SIGINT) or SIGTERM ends a command that does not handle them
// itself (convert, dump) at once, by the runtime's default action, so no
// deferred cleanup runs: an output's temporary file (-o, written beside
// its target) or an upload's spool in $TMPDIR stayed behind, as large as
// what had been written. While such a file exists, the signal is caught
// instead: the files are removed, then the signal is raised again with
// its default action, so the exit status is what the shell expects (130
// for Ctrl-C) and the target is as it was.

import (
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

// exitInterrupted is the status of a command that a signal stopped and
// that ends on its own (snapshots --download), as a shell reports a death
// by SIGINT.
const exitInterrupted = 130

var interrupts struct {
	mu    sync.Mutex
	next  int
	drops map[int]func() // what to remove, by registration
	ch    chan os.Signal
}

// dropOnSignal has drop called if SIGINT or SIGTERM ends the process
// before the returned release is called. release runs last (when not
// nil) before it unregisters drop, with signals held off, so that a
// commit (the rename over the target) or a cleanup never runs beside
// drop; it is safe to call more than once (last then runs each time).
// Commands that stop gracefully on a signal (bench, serve, subscribe,
// socket) make no such files.
func dropOnSignal(drop func()) (release func(last func())) {
	interrupts.mu.Lock()
	defer interrupts.mu.Unlock()
	if interrupts.drops == nil {
		interrupts.drops = map[int]func(){}
	}
	if len(interrupts.drops) == 0 {
		interrupts.ch = make(chan os.Signal, 1)
		signal.Notify(interrupts.ch, os.Interrupt, syscall.SIGTERM)
		go dropAndDie(interrupts.ch)
	}
	id := interrupts.next
	interrupts.next++
	interrupts.drops[id] = drop
	return func(last func()) {
		interrupts.mu.Lock()
		defer interrupts.mu.Unlock()
		if last != nil {
			last()
		}
		if _, ok := interrupts.drops[id]; !ok {
			return
		}
		delete(interrupts.drops, id)
		if len(interrupts.drops) == 0 {
			// The default action again: nothing is left to remove.
			signal.Stop(interrupts.ch)
			close(interrupts.ch)
		}
	}
}

// createDroppable makes a file with create and has drop called on it if
// SIGINT or SIGTERM ends the process before release is called (as
// dropOnSignal). The signal is caught from before the file exists, and
// create runs with the lock dropAndDie takes, so no signal falls between
// the file's making and its registration (one that did left the file).
func createDroppable[T any](create func() (T, error), drop func(T)) (T, func(last func()), error) {
	var made T
	ok := false
	release := dropOnSignal(func() {
		if ok {
			drop(made)
		}
	})
	interrupts.mu.Lock()
	var err error
	made, err = create()
	ok = err == nil
	interrupts.mu.Unlock()
	if err != nil {
		release(nil)
		return made, nil, err
	}
	return made, release, nil
}

// dropAndDie waits for a signal on ch (or its close), removes the
// registered files and ends the process with the signal's default
// action. The lock is kept, so no file is committed or registered after.
func dropAndDie(ch chan os.Signal) {
	sig, ok := <-ch
	if !ok {
		return
	}
	interrupts.mu.Lock()
	for _, drop := range interrupts.drops {
		drop()
	}
	signal.Reset(os.Interrupt, syscall.SIGTERM)
	if p, err := os.FindProcess(os.Getpid()); err == nil && p.Signal(sig) == nil {
		time.Sleep(time.Second) // the signal ends the process meanwhile
	}
	// Where a process cannot signal itself (Windows), exit as a shell
	// reports a death by that signal.
	code := exitInterrupted
	if s, ok := sig.(syscall.Signal); ok {
		code = 128 + int(s)
	}
	os.Exit(code)
}
