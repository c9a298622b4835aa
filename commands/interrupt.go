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
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"
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

// interruptible names the commands that talk to a gateway and stop on
// SIGINT or SIGTERM by cancelling their request (catchInterrupt): call,
// socket call, and the others that make one request after another.
// Those that stop gracefully on their own (bench, serve, subscribe,
// socket listen) catch the signals themselves.
var interruptible = map[string]bool{
	"call": true, "list": true, "describe": true, "probe": true, "upload": true,
	"snapshots": true, "logout": true, "publish": true,
}

// catchInterrupt runs action with c.Context cancelled by SIGINT or
// SIGTERM when the process started with that signal ignored (a shell
// starts a script's background jobs with SIGINT ignored; Go lets
// signal.Notify catch it all the same, and convert, bench and subscribe
// do), and reports a request so cancelled as "interrupted", exit 130
// (143 for SIGTERM), as a shell reports a death by the signal. Such a
// request was classified as a timeout or a failed connection (exit 3),
// or the command went on. A signal that is not ignored keeps its default
// action: the process dies by it at once, as the shell expects of Ctrl-C
// (status 130, no message).
func catchInterrupt(action cli.ActionFunc) cli.ActionFunc {
	return func(c *cli.Context) error {
		sigs := ignoredAtStart()
		if len(sigs) == 0 {
			return action(c)
		}
		parent := c.Context
		if parent == nil {
			parent = context.Background()
		}
		ctx, cancel := context.WithCancelCause(parent)
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, sigs...)
		done := make(chan struct{})
		go func() {
			select {
			case sig := <-ch:
				cancel(&signalled{sig})
			case <-done:
			}
		}()
		defer func() {
			signal.Stop(ch)
			close(done)
			cancel(nil)
		}()
		c.Context = ctx
		err := action(c)
		var sig *signalled
		if err == nil || !errors.As(context.Cause(ctx), &sig) {
			return err
		}
		code := exitInterrupted
		if s, ok := sig.sig.(syscall.Signal); ok {
			code = 128 + int(s)
		}
		var ee *exitError
		if errors.As(err, &ee) && ee.code == code {
			return err // the command said so itself (snapshots --download)
		}
		return withCode(code, fmt.Errorf("interrupted by %s: the request under way was cancelled; the gateway may have run it all the same", signalName(sig.sig)))
	}
}

// ignoredAtStart is the signals of SIGINT and SIGTERM that the process
// started with ignored, found before any signal.Notify (which ends the
// ignoring).
var ignoredAtStart = sync.OnceValue(func() []os.Signal {
	var sigs []os.Signal
	for _, sig := range []os.Signal{os.Interrupt, syscall.SIGTERM} {
		if signal.Ignored(sig) {
			sigs = append(sigs, sig)
		}
	}
	return sigs
})

// signalName is SIGINT or SIGTERM.
func signalName(sig os.Signal) string {
	if sig == syscall.SIGTERM {
		return "SIGTERM"
	}
	return "SIGINT"
}

// signalled is the cause of a context that a signal cancelled.
// signalContext is the context of a command that stops gracefully on
// SIGINT or SIGTERM (bench's run, socket listen), cancelled by the signal
// with the signal as its cause (*signalled), so that a Ctrl-C before the
// work began is told from a failed connection (signalledExit);
// interrupt cancels it as a signal would (tests).
func signalContext() (ctx context.Context, stop func(), interrupt func(os.Signal)) {
	ctx, cancel := context.WithCancelCause(context.Background())
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	var once sync.Once
	go func() {
		select {
		case sig := <-ch:
			cancel(&signalled{sig})
		case <-done:
		}
	}()
	stop = func() {
		once.Do(func() {
			signal.Stop(ch)
			close(done)
		})
		cancel(nil)
	}
	return ctx, stop, func(sig os.Signal) { cancel(&signalled{sig}) }
}

// signalledExit is the exit status and error of a command whose context
// (signalContext) a signal cancelled before its work began (doing says
// what was under way; err is how that failed), and ok is false when no
// signal did.
func signalledExit(ctx context.Context, doing string, err error) (int, error, bool) {
	var sig *signalled
	if !errors.As(context.Cause(ctx), &sig) {
		return 0, nil, false
	}
	code := exitInterrupted
	if s, ok := sig.sig.(syscall.Signal); ok {
		code = 128 + int(s)
	}
	return code, fmt.Errorf("interrupted by %s %s (%v)", signalName(sig.sig), doing, err), true
}

type signalled struct{ sig os.Signal }

func (s *signalled) Error() string { return "interrupted by " + s.sig.String() }
