package commands

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
)

var uploadCommand = &cli.Command{
	Name:      "upload",
	Usage:     "call a remote method with a file's bytes as a ByteArray first argument",
	ArgsUsage: "URL TARGET FILE [ARG...]",
	Description: `Calls TARGET at the gateway URL with the contents of FILE (stdin when FILE
is -) as an AMF3 ByteArray first argument, then the ARGs, each one JSON
value (typed JSON allowed). As the ByteArray example's client does, a
TARGET whose method is saveSnapshot, given no ARG, gets the file's
extension in lower case as its second argument:
ByteArray.saveSnapshot(bytes, "jpg").

The file is streamed into the request: memory use stays flat whatever
its size. A ByteArray holds at most 268435455 bytes (256 MiB - 1); larger
files are refused before anything is sent. In an AMF0 packet (the
default) the ByteArray goes through the AMF0->AMF3 switch, as Flash Player
sends it; --amf3 sends a version 3 packet.

A progress bar (bytes, rate, time left) is drawn on stderr when stderr is
a terminal, unless --quiet. The result is printed as JSON on stdout, as
"amfcall call" prints it (-q and -r select from it as there); a fault is
printed as JSON too and exits with status 1. The other flags below, and
ARGs of the form @FILE, are those of "amfcall call"; URL may be left out
when AMFCALL_URL is set. upload has no session, Flex or batch flags
(--session, --flex, --destination, --batch, -d...): with those, "amfcall
call URL TARGET @FILE [ARG...]" sends a file as a ByteArray (read whole,
up to 256 MiB - 1).

Examples:

  amfcall upload http://127.0.0.1:8000/ ByteArray.saveSnapshot photo.jpg
  amfcall upload --amf3 http://127.0.0.1:8000/ ByteArray.saveSnapshot shot.png
  curl -fsS https://example.org/a.png | amfcall upload http://127.0.0.1:8000/ ByteArray.saveSnapshot - '"png"'
  amfcall upload http://gw.example/amf files.store data.bin '"data.bin"' '{"overwrite": true}'`,
	Flags: append(append(append([]cli.Flag{
		&cli.BoolFlag{Name: "quiet", Category: catOutput, DisableDefaultText: true,
			Usage: "draw no progress bar"},
		&cli.StringFlag{Name: "timeout", Category: catHTTP, Value: "0", DefaultText: "no limit",
			Usage: "give up on the upload after `DURATION` (30s, 2m; a plain number is seconds; 0 is no limit); when not given, the upload has no limit, but the reply must come whole within 30s of its first byte"},
	}, pickFlags(callCommand.Flags, "amf3", "amf-header", "must-understand", "user",
		"header", "user-agent", "referer", "connect-timeout", "idle-timeout", "insecure", "cacert", "proxy",
		"location-trusted", "max-response-size")...),
		withUsage(findFlag(callCommand.Flags, "query"), "print only the part of the result at gjson `PATH` (e.g. url, items.#.name; a path that matches nothing prints null); a fault is printed whole (exit 1)"),
		withUsage(findFlag(callCommand.Flags, "raw"), "print a string result as raw text, without JSON quotes, and an array of strings one string a line, as jq -r '.[]' does (an empty array prints nothing); anything else stays JSON; on a terminal, control characters are escaped"),
	), pickFlags(callCommand.Flags, "verbose", "typed", "pretty", "compact", "max-output")...),
	Action: runUpload,
}

// maxByteArray is the largest ByteArray AMF3 can carry.
const maxByteArray = amf.MaxInt

func runUpload(c *cli.Context) error {
	setColor(c)
	// The flags and arguments are call's, FILE being the first ARG:
	// [URL] TARGET FILE [ARG...] (URL may come from AMFCALL_URL).
	s, err := readCallFlags(c)
	if err != nil {
		return err
	}
	if len(s.args) == 0 {
		// upload -q TARGET FILE with AMFCALL_URL set, upload URL -q
		// TARGET FILE, or upload URL TARGET -q FILE: -q took the TARGET
		// (the FILE that follows it is where the TARGET goes) or the
		// FILE, and "photo.jpg is a file, given where the TARGET goes"
		// was no help.
		args := envOf(c).args
		if q := quietTookWord(c, func(v string, at int) bool {
			return isRegularFile(v) || at+1 < len(args) && args[at+1] == s.target && isRegularFile(s.target)
		}); q != nil {
			return q
		}
		err := usageErrorf("%s: missing FILE", c.Command.HelpName)
		if isRegularFile(s.target) {
			// upload URL photo.jpg: the file taken for the TARGET.
			return err.hint(fmt.Sprintf("%s is a file, given where the TARGET goes: name the method first, e.g. %s ByteArray.saveSnapshot %s", shellWord(s.target), gatewayCommand(c, s), shellWord(s.target)))
		}
		return err.hint(fmt.Sprintf("usage: %s %s", c.Command.HelpName, c.Command.ArgsUsage))
	}
	if s.cfg.ConnectTimeout == 0 {
		s.cfg.ConnectTimeout = 30 * time.Second
	}
	if !c.IsSet("timeout") {
		// No limit on the upload, but its reply, once begun, comes
		// whole within call's default --timeout: a gateway that
		// trickles it a byte every few seconds (within --idle-timeout)
		// held upload for ever.
		s.cfg.ReplyTimeout = client.DefaultTimeout
	}
	file := s.args[0]
	if file == "" {
		// upload URL TARGET "$FILE" with $FILE empty: "open : no such
		// file or directory".
		return usageErrorf("%s: the FILE argument is empty: no file name", c.Command.HelpName).hint(emptyNameHint("FILE", "-"))
	}
	s.args = s.args[1:]
	s.argsFrom = 1 // FILE is the message's first argument
	out, opts, err := jsonOutput(c)
	if err != nil {
		return err
	}
	s.rawTerminal = out.terminal()
	rest, err := callArgs(c, s)
	if err != nil {
		return err
	}
	// Open FILE first: a missing file or a directory says so before
	// anything is said about its name.
	src, size, cleanup, err := openUpload(c, file)
	var ee *exitError
	if errors.Is(err, fs.ErrNotExist) && errors.As(err, &ee) && isRegularFile(s.target) {
		// upload URL photo.jpg ByteArray.saveSnapshot: TARGET and FILE
		// the other way round ("check the file name" was no help).
		return withCode(exitUsage, ee.err).hint(fmt.Sprintf("%s is a file, given where the TARGET goes: TARGET comes first, then FILE: %s %s %s", shellWord(s.target), gatewayCommand(c, s), shellWord(file), shellWord(s.target)))
	}
	if err != nil {
		return err
	}
	defer cleanup()
	if len(s.args) == 0 && methodOf(s.target) == "saveSnapshot" {
		ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(file), "."))
		if file == "-" || ext == "" {
			return usageErrorf("upload: %s needs the image type, and %s has no file extension", s.target, fileLabel(file)).
				hint(imageTypeHint(s, file, src))
		}
		rest = append(rest, ext)
	}

	trace := newTrace(c, s.level)
	s.cfg.Events = trace
	reread := rereadable(src) // before src is wrapped, and read
	var head []byte
	if s.level >= 1 {
		// The first bytes, for the trace's abbreviated ByteArray; all of
		// a file of up to 1 KiB, which the trace shows whole (as any
		// ByteArray of that size: json-mapping.md).
		n := 48
		if size >= 0 && size <= client.CutBytes {
			n = int(size)
		}
		br := bufio.NewReader(src) // 4 KiB: room for n
		head, _ = br.Peek(n)
		head = slices.Clone(head)
		src = br
	}
	cl, err := s.newClient(s.gateway)
	if err != nil {
		return err
	}

	e := envOf(c)
	var bar *progressBar
	if !c.Bool("quiet") && e.isTerminal(e.stderr) {
		bar = newProgressBar(e.stderr, "uploading "+fileLabel(file), size)
		bar.dumb = e.getenv("TERM") == "dumb"
	}
	res, err := uploadStreamAgain(c.Context, cl, s.target, src, reread, size, rest, bar, func(p *amf.Packet) {
		if s.level < 1 {
			return
		}
		// Show the packet as sent (encoded and decoded again: the AMF3
		// switch the encoder wrote shows as "$amf3").
		if b, err := amf.MarshalPacket(p); err == nil {
			if q, err := amf.UnmarshalPacket(b); err == nil {
				p = q
			}
		}
		trace.Streamed = &client.StreamedRequest{Packet: p, Hole: firstByteArray(p), Head: head, Size: size, Source: fileLabel(file)}
	})
	if bar != nil {
		bar.finish(err == nil)
	}
	if changed := (*changedError)(nil); errors.As(err, &changed) {
		// "the file ended after 4194304 bytes..." named no file: a
		// script uploading several could not tell which one.
		err = withCode(exitUsage, fmt.Errorf("%s: %w", fileLabel(file), changed)).
			hint("upload the file once it is written whole, or upload a copy of it")
	}
	err = s.placeEncodeError(err)
	replyLimits(opts, s, trace)
	var fault *client.Fault
	switch {
	case errors.As(err, &fault):
		if perr := printCallValue(out, opts, s, amf.Unwrap(fault.Value), false); perr != nil {
			return perr
		}
		// The hints call gives its faults: credentials, a method or
		// service name not found.
		err = targetHint(s, fault, err)
	case err == nil:
		err = printCallValue(out, opts, s, res, true)
	}
	if cerr := out.commit(); err == nil {
		err = cerr
	}
	return err
}

// imageTypeHint is the hint for a saveSnapshot upload whose FILE has no
// extension to take the type from: the command line again with the
// type, that of the image src's first bytes show when they show one.
// It said "amfcall upload URL ByteArray.saveSnapshot FILE '"jpg"'"
// whatever the bytes were: the word URL, a file name with a space
// unquoted, and "jpg" for a PNG read from a pipe.
func imageTypeHint(s *callSettings, file string, src io.Reader) string {
	line := "amfcall upload "
	if !s.gatewayFromEnv {
		line += shellWord(redactURL(s.gateway)) + " "
	}
	line += shellWord(s.target) + " " + shellWord(file)
	var head [8]byte
	n, _ := io.ReadFull(src, head[:])
	switch b := head[:n]; {
	case bytes.HasPrefix(b, []byte{0xFF, 0xD8, 0xFF}):
		return fmt.Sprintf(`the bytes are a JPEG image: %s '"jpg"'`, line)
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return fmt.Sprintf(`the bytes are a PNG image: %s '"png"'`, line)
	}
	return fmt.Sprintf(`give it as an argument, "jpg" or "png" as the image is: %s '"jpg"'`, line)
}

// pickFlags returns the flags of names from flags, in the order given:
// upload and snapshots share call's flags, so that each spells and reads
// them the same way.
func pickFlags(flags []cli.Flag, names ...string) []cli.Flag {
	out := make([]cli.Flag, 0, len(names))
	for _, n := range names {
		f := findFlag(flags, n)
		if f == nil {
			panic("commands: no flag " + n + " to share")
		}
		out = append(out, f)
	}
	return out
}

// firstByteArray finds the ByteArray that is the first argument of the
// packet's first call (the hole of a streamed request).
func firstByteArray(p *amf.Packet) *amf.ByteArray {
	if len(p.Messages) == 0 {
		return nil
	}
	args, ok := amf.Unwrap(p.Messages[0].Value).(*amf.Array)
	if !ok || len(args.Dense) == 0 {
		return nil
	}
	b, _ := amf.Unwrap(args.Dense[0]).(*amf.ByteArray)
	return b
}

// methodOf returns the method part of "Service.method".
func methodOf(target string) string {
	return target[strings.LastIndexByte(target, '.')+1:]
}

func fileLabel(file string) string {
	if file == "-" {
		return "stdin"
	}
	return file
}

// tooBig is the error for content over the ByteArray limit.
func tooBig(what string, size int64) error {
	return usageErrorf("%s is %d bytes; an AMF3 ByteArray holds at most %d bytes (256 MiB - 1)", what, size, maxByteArray).
		hint("AMF cannot carry it in one call; split the file or send it another way")
}

// openUpload opens FILE (or stdin) and finds its size, refusing content
// over the ByteArray limit. stdin that is not a regular file is spooled
// to a temporary file first, since the size goes before the bytes.
func openUpload(c *cli.Context, file string) (io.Reader, int64, func(), error) {
	e := envOf(c)
	nop := func() {}
	if file != "-" {
		f, err := os.Open(file)
		if err != nil {
			if name, ok := strings.CutPrefix(file, "@"); ok && isRegularFile(name) {
				// call's @FILE: upload's FILE is a plain name.
				return nil, 0, nop, withCode(exitUsage, err).hint(fmt.Sprintf("upload takes FILE without @ (call's @FILE is a ByteArray argument): write %s", shellWord(name)))
			}
			if h := permissionHint(err); h != "" {
				return nil, 0, nop, withCode(exitUsage, err).hint(h)
			}
			return nil, 0, nop, withCode(exitUsage, err).hint("check the file name; use - for stdin")
		}
		st, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, 0, nop, withCode(exitUsage, err)
		}
		if st.IsDir() {
			f.Close()
			return nil, 0, nop, usageErrorf("upload: %s is a directory", file).hint("give a file")
		}
		// A regular file that says it is empty may not be (/proc and
		// /sys files have bytes on read): read like a FIFO, it is sent
		// as it reads, and a file truly empty is sent empty.
		if st.Mode().IsRegular() && st.Size() > 0 {
			if st.Size() > maxByteArray {
				f.Close()
				return nil, 0, nop, tooBig(file, st.Size())
			}
			return f, st.Size(), func() { f.Close() }, nil
		}
		// A FIFO, a device or a file of no stated size: spool it like
		// stdin.
		r, n, cleanup, err := spool(spoolBar(c, f, file), file)
		f.Close()
		return r, n, cleanup, err
	}
	if e.stdinTaken != "" {
		return nil, 0, nop, usageErrorf("stdin is already read by %s", e.stdinTaken)
	}
	e.stdinTaken = "FILE"
	if f, ok := e.stdin.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			off, err := f.Seek(0, io.SeekCurrent)
			if err == nil {
				n := st.Size() - off
				if n > maxByteArray {
					return nil, 0, nop, tooBig("stdin", n)
				}
				return f, n, nop, nil
			}
		}
	}
	if e.isTerminal(e.stdin) {
		infof(c, "reading the file from the terminal; end it with %s", endOfInputKeys())
	}
	return spool(spoolBar(c, e.stdin, "stdin"), "stdin")
}

// spoolBar has the reading of a pipe drawn on stderr, when it is a
// terminal and --quiet is not given: the whole pipe is read before the
// upload begins (its size goes first), and "curl URL | amfcall upload
// ... -" of a large file showed nothing while it was read.
func spoolBar(c *cli.Context, r io.Reader, name string) io.Reader {
	e := envOf(c)
	if c.Bool("quiet") || !e.isTerminal(e.stderr) {
		return r
	}
	bar := newProgressBar(e.stderr, "reading "+fileLabel(name), -1)
	bar.dumb = e.getenv("TERM") == "dumb"
	return &spoolReader{r: bar.reader(r), bar: bar}
}

// spoolReader ends its progress line at the end of what it reads, or at
// its first error.
type spoolReader struct {
	r    io.Reader
	bar  *progressBar
	done bool
}

func (s *spoolReader) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	if err != nil && !s.done {
		s.done = true
		s.bar.finish(err == io.EOF)
	}
	return n, err
}

// spool copies r to a temporary file, to learn its size.
func spool(r io.Reader, name string) (io.Reader, int64, func(), error) {
	dropFile := func(tmp *os.File) {
		tmp.Close()
		os.Remove(tmp.Name())
	}
	// Removed on a Ctrl-C while it is read or sent.
	tmp, release, err := createDroppable(func() (*os.File, error) { return os.CreateTemp("", "amfcall-upload-*") }, dropFile)
	if err != nil {
		// TMPDIR set to a folder that is gone or read-only (a CI
		// job's): the error said only "spooling stdin: open
		// /nonexistent/amfcall-upload-123: no such file or directory".
		tmpVar := "TMPDIR"
		if runtime.GOOS == "windows" {
			tmpVar = "TEMP"
		}
		return nil, 0, func() {}, withCode(exitUsage, fmt.Errorf("spooling %s: %w", name, err)).
			hint(fmt.Sprintf("%s is copied to a temporary file first, as its size goes before its bytes: set %s to a folder you can write to, or give a regular FILE", fileLabel(name), tmpVar))
	}
	cleanup := func() { release(func() { dropFile(tmp) }) }
	n, err := io.Copy(tmp, io.LimitReader(r, maxByteArray+1))
	if err != nil {
		cleanup()
		return nil, 0, func() {}, fmt.Errorf("reading %s: %w", name, err)
	}
	if n > maxByteArray {
		cleanup()
		// Read only to one byte past the limit: its size is unknown.
		return nil, 0, func() {}, usageErrorf("%s holds more than %d bytes, what an AMF3 ByteArray holds at most (256 MiB - 1)", name, int64(maxByteArray)).
			hint("AMF cannot carry it in one call; split the file or send it another way")
	}
	if _, err := tmp.Seek(0, io.SeekStart); err != nil {
		cleanup()
		return nil, 0, func() {}, err
	}
	return tmp, n, cleanup, nil
}

// streamedPacket is a request packet whose ByteArray is streamed from
// the content reader: body gives the whole request, Len bytes.
type streamedPacket struct {
	w        *amf.Writer
	response string // the call's response URI, "/1"
	// packet is the request packet with the ByteArray empty, to show.
	packet *amf.Packet
	// full is the request packet as written, its ByteArrayStream
	// included, to write again for a redirect.
	full *amf.Packet
}

// Len is the length of the whole request body.
func (s *streamedPacket) Len() int64 { return s.w.Len() }

// body reads the request, the content included.
func (s *streamedPacket) body() io.Reader { return s.w.Reader() }

// buildStreamed builds the client's packet for target(ByteArray,
// rest...) through the token Writer, the ByteArray being size bytes read
// from content as the request is sent; lengths are exact.
func buildStreamed(cl *client.Client, target string, content io.Reader, size int64, rest []any) (*streamedPacket, error) {
	if size < 0 || size > maxByteArray {
		return nil, tooBig("the content", size)
	}
	p := cl.BuildPacket([]client.Call{{Target: target, Args: append([]any{&amf.ByteArrayStream{R: content, N: size}}, rest...)}})
	if len(p.Messages) != 1 {
		return nil, errors.New("internal error: the client built no message")
	}
	shown := *p
	shown.Messages = []amf.Message{p.Messages[0]}
	shown.Messages[0].Value = withoutStream(p.Messages[0].Value)
	w := amf.NewWriter(nil, amf.AMF0)
	if err := w.WritePacket(p); err != nil {
		return nil, err
	}
	return &streamedPacket{w: w, response: p.Messages[0].Response, packet: &shown, full: p}, nil
}

// withoutStream is v with its ByteArrayStream as an empty ByteArray (the
// containers on the way copied), for showing the request.
func withoutStream(v any) any { return withStream(v, &amf.ByteArray{}) }

// withStream is v with its ByteArrayStream replaced by with, the
// containers on the way copied.
func withStream(v, with any) any {
	switch x := v.(type) {
	case *amf.ByteArrayStream:
		return with
	case amf.AVMPlus:
		return amf.AVMPlus{Value: withStream(x.Value, with)}
	case *amf.Array:
		c := *x
		c.Dense = make([]any, len(x.Dense))
		for i, it := range x.Dense {
			c.Dense[i] = withStream(it, with)
		}
		return &c
	case *amf.Object:
		c := *x
		c.Members = make([]amf.Member, len(x.Members))
		for i, m := range x.Members {
			c.Members[i] = amf.Member{Name: m.Name, Value: withStream(m.Value, with)}
		}
		return &c
	}
	return v
}

// uploadStream calls target with size bytes read from src as a ByteArray
// first argument, streaming them into the request, and returns the
// result (or a *client.Fault). shown, if not nil, gets the request
// packet (with the ByteArray empty) before it is sent.
func uploadStream(ctx context.Context, cl *client.Client, target string, src io.Reader, size int64, rest []any, bar *progressBar, shown func(*amf.Packet)) (any, error) {
	return uploadStreamAgain(ctx, cl, target, src, nil, size, rest, bar, shown)
}

// rereadable returns, for an upload's content src that is a file (FILE,
// stdin redirected from a file, the spool of a pipe), a function that
// gives its bytes again from where they begin now, each time through a
// reader of its own (pread: the offset of src is not shared, so the
// request a redirect cut may still be reading it); nil for anything else.
func rereadable(src io.Reader) func() io.Reader {
	f, ok := src.(*os.File)
	if !ok {
		return nil
	}
	start, err := f.Seek(0, io.SeekCurrent)
	if err != nil {
		return nil
	}
	return func() io.Reader { return io.NewSectionReader(f, start, math.MaxInt64-start) }
}

// uploadStreamAgain is uploadStream, whose content can be read again
// from its start with reread (nil: it cannot): a 307/308 redirect is
// then followed, as call follows it, the file sent whole again (a
// streamed body was not sent again: exit 3).
func uploadStreamAgain(ctx context.Context, cl *client.Client, target string, src io.Reader, reread func() io.Reader, size int64, rest []any, bar *progressBar, shown func(*amf.Packet)) (any, error) {
	// The amf Writer reads exactly size bytes, and fails with an
	// *amf.ShortStreamError if src ends early; grewGuard fails the
	// request when src holds more (a file still being written was sent
	// cut at the size it had, and the gateway saved it, exit 0).
	var content io.Reader = &grewGuard{r: src, left: size, size: size}
	if bar != nil {
		content = bar.reader(content)
	}
	sp, err := buildStreamed(cl, target, content, size, rest)
	if err != nil {
		return nil, err
	}
	if shown != nil {
		shown(sp.packet)
	}
	body := sp.body()
	if size == 0 {
		// No byte of the content is read (the Writer asks for none), so
		// grewGuard never looks past its end: a file empty when the
		// upload began and written since was sent empty, saved, exit 0.
		// It looks once the request is being sent, before its body.
		body = &firstRead{r: body, check: func() error { return probeEnd(src, 0) }}
	}
	var again client.StreamAgain
	if reread != nil {
		again = func(withoutCredentials bool) (io.Reader, int64, bool, error) {
			// The same packet (the same response URI), its ByteArray
			// read from the file's start again; the progress bar
			// shows the first sending only.
			q := *sp.full
			q.Messages = []amf.Message{sp.full.Messages[0]}
			q.Messages[0].Value = withStream(q.Messages[0].Value, &amf.ByteArrayStream{R: &grewGuard{r: reread(), left: size, size: size}, N: size})
			stripped := false
			if withoutCredentials {
				q.Headers = nil
				for _, h := range sp.full.Headers {
					if h.Name == "Credentials" {
						stripped = true
						continue
					}
					q.Headers = append(q.Headers, h)
				}
			}
			w := amf.NewWriter(nil, amf.AMF0)
			if err := w.WritePacket(&q); err != nil {
				return nil, 0, false, err
			}
			return w.Reader(), w.Len(), stripped, nil
		}
	}
	reply, err := cl.PostStreamAgain(ctx, body, sp.Len(), again)
	var short *amf.ShortStreamError
	if errors.As(err, &short) {
		return nil, withCode(exitUsage, &changedError{fmt.Errorf("the file ended after %d bytes, %d short of its size when the upload began (did it change?)", short.Read, short.Missing)})
	}
	var grew *grewError
	if errors.As(err, &grew) {
		return nil, withCode(exitUsage, &changedError{grew})
	}
	if err != nil {
		return nil, err
	}
	return cl.ResultFor(reply, target, sp.response)
}

// changedError is content that changed while it was uploaded: it ended
// early, or went on past its size.
type changedError struct{ err error }

func (e *changedError) Error() string { return e.err.Error() }
func (e *changedError) Unwrap() error { return e.err }

// grewGuard reads the left bytes of an upload's content from r and, on
// the read that ends them, checks that r ends there too: a file that
// grew after its size was taken (still being written) fails the request
// with a *grewError before the body is complete, rather than sending its
// first bytes as the whole.
type grewGuard struct {
	r          io.Reader
	left, size int64
}

func (g *grewGuard) Read(p []byte) (int, error) {
	if int64(len(p)) > g.left {
		p = p[:g.left]
	}
	n, err := g.r.Read(p)
	g.left -= int64(n)
	if g.left > 0 || (err != nil && err != io.EOF) {
		return n, err
	}
	if gerr := probeEnd(g.r, g.size); gerr != nil {
		return n, gerr
	}
	return n, err
}

// probeEnd checks that r, read to the size it had when the upload began,
// ends there: a *grewError if a byte follows.
func probeEnd(r io.Reader, size int64) error {
	var one [1]byte
	for i := 0; i < 100; i++ { // a Reader may return 0, nil: not for ever
		m, err := r.Read(one[:])
		if m > 0 {
			return &grewError{size: size}
		}
		if err != nil {
			break
		}
	}
	return nil
}

// firstRead runs check before the first read of r, and fails that read
// with its error.
type firstRead struct {
	r     io.Reader
	check func() error
}

func (f *firstRead) Read(p []byte) (int, error) {
	if f.check != nil {
		err := f.check()
		f.check = nil
		if err != nil {
			return 0, err
		}
	}
	return f.r.Read(p)
}

// grewError is content that went on past the size it had when the upload
// began.
type grewError struct{ size int64 }

func (e *grewError) Error() string {
	if e.size == 0 {
		return "the file was empty when the upload began and has bytes now (did it change?): the request was cut off before its end, rather than send it empty"
	}
	return fmt.Sprintf("the file grew past the %d bytes it had when the upload began (did it change?): the request was cut off before its end, rather than send only those", e.size)
}

// progressBar draws "label  12.0 MiB / 200.0 MiB  6%  85.1 MiB/s  ETA 2s"
// on one terminal line, at most ten times a second.
type progressBar struct {
	w     io.Writer
	label string
	total int64
	done  int64
	start time.Time
	last  time.Time
	now   func() time.Time
	// dumb is a terminal that takes no escape sequence (TERM=dumb:
	// Emacs's shell, some CI consoles), which showed each redraw's
	// erase-line escape as the text "^[[K": a shorter line is padded
	// with blanks over the one it replaces instead.
	dumb  bool
	drawn int // the length of the line last drawn, for dumb
}

func newProgressBar(w io.Writer, label string, total int64) *progressBar {
	now := time.Now
	t := now()
	return &progressBar{w: w, label: label, total: total, start: t, now: now}
}

type barReader struct {
	r   io.Reader
	bar *progressBar
}

func (b *barReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.bar.add(int64(n))
	return n, err
}

func (p *progressBar) reader(r io.Reader) io.Reader { return &barReader{r, p} }

func (p *progressBar) add(n int64) {
	p.done += n
	if t := p.now(); t.Sub(p.last) >= 100*time.Millisecond {
		p.last = t
		p.draw()
	}
}

func (p *progressBar) draw() {
	el := p.now().Sub(p.start)
	pct := 100.0
	if p.total > 0 {
		pct = float64(p.done) * 100 / float64(p.total)
	}
	line := fmt.Sprintf("\ramfcall: %s  %s / %s  %3.0f%%", p.label, fmtBytes(p.done), fmtBytes(p.total), pct)
	if p.total < 0 { // a size not known: what came so far
		line = fmt.Sprintf("\ramfcall: %s  %s", p.label, fmtBytes(p.done))
	}
	if el > 200*time.Millisecond && p.done > 0 {
		rate := float64(p.done) / el.Seconds()
		line += fmt.Sprintf("  %s/s", fmtBytes(int64(rate)))
		if p.done < p.total && p.total >= 0 {
			eta := time.Duration(float64(p.total-p.done) / rate * float64(time.Second))
			line += "  ETA " + fmtETA(eta)
		}
	}
	end := "\x1b[K"
	if p.dumb {
		n := utf8.RuneCountInString(line) - 1 // not the \r
		end = strings.Repeat(" ", max(p.drawn-n, 0))
		p.drawn = n
	}
	io.WriteString(p.w, line+end)
}

// finish draws the last state and ends the line.
func (p *progressBar) finish(ok bool) {
	p.draw()
	if ok {
		io.WriteString(p.w, "  done in "+fmtETA(p.now().Sub(p.start))+"\n")
	} else {
		io.WriteString(p.w, "\n")
	}
}

func fmtBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	f := float64(n)
	for _, u := range []string{"KiB", "MiB", "GiB"} {
		f /= unit
		if f < unit || u == "GiB" {
			return fmt.Sprintf("%.1f %s", f, u)
		}
	}
	return ""
}

func fmtETA(d time.Duration) string {
	d = d.Round(time.Second)
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d.Seconds()))
	}
	if d < time.Hour {
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}
