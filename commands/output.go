package commands

// Helpers every command shares: the run's streams, colour and JSON
// layout decisions, reading the input, writing the output (atomically for
// files, never AMF bytes to a terminal) and the messages on stderr.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"unsafe"

	"github.com/fatih/color"
	"github.com/mattn/go-isatty"
	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/client/atomicfile"
	"github.com/amfcall/amfcall/convert"
)

// maxInput bounds what a command reads from a file or stdin.
const maxInput = 1 << 30

// runEnv is one run of the program: its arguments and streams, how to
// read the environment and tell a terminal. Tests replace getenv and
// isTerminal to pin the result down whatever the host.
type runEnv struct {
	args       []string
	stdin      io.Reader
	stdout     io.Writer
	stderr     io.Writer
	getenv     func(string) string
	isTerminal func(any) bool
	openTTY    func() (*os.File, error) // the controlling terminal, to ask for a password; nil: none (tests)
	// colorable makes a terminal stream take colour escapes and says
	// whether it does (a Windows console: enableVT); nil is enableVT.
	colorable func(any) bool

	colorMode  string         // --color as given; "" until the flags are read
	stdinTaken string         // what already reads stdin, if anything
	pending    error          // an error met where urfave/cli cannot return one
	completing string         // the word a shell asks completions for
	mapped     [][]byte       // the inputs that are files mapped into memory
	reserved   [][]byte       // the inputs read into an anonymous mapping (readReserved)
	stdinFile  bool           // stdin is the process's file (Run), not a test's reader
	stdinStat  os.FileInfo    // stdin's file, when it is a regular file (a shell's < FILE)
	commands   []*cli.Command // the commands; nil is the package's list (tests add some)
	ran        *cli.Command   // the command that ran, once its flags are read
	ranVerbose int            // how many -v the command that ran was given
	appOut     *stickyWriter  // stdout as urfave/cli writes to it (help, version)
}

// stickyWriter keeps the first error of its writes, for writers whose
// errors are not returned (urfave/cli's help printer ignores them).
type stickyWriter struct {
	w   io.Writer
	err error
}

func (s *stickyWriter) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	if err != nil && s.err == nil {
		s.err = err
	}
	return n, err
}

// stdoutError is the error for a failed write to stdout (a full disk):
// a usage error, as for every command's output.
func stdoutError(err error) error {
	if errors.Is(err, syscall.EPIPE) {
		return fmt.Errorf("writing stdout: %w", errReaderGone)
	}
	return withCode(exitUsage, fmt.Errorf("writing stdout: %w", unwrapPath(err))).hint(writeHint(err))
}

const envKey = "amfcall.env"

// envOf returns the run environment of a command's context.
func envOf(c *cli.Context) *runEnv {
	return c.App.Metadata[envKey].(*runEnv)
}

// isTerminal reports whether a stream is a terminal (an *os.File on a
// tty or a Cygwin/MSYS pty). Anything else (buffers, pipes) is not.
func isTerminal(s any) bool {
	f, ok := s.(interface{ Fd() uintptr })
	if !ok {
		return false
	}
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// colorMode returns --color from the nearest context that sets it (it may
// be given before or after the command name), else "auto".
func colorMode(c *cli.Context) string {
	for _, ctx := range c.Lineage() {
		if ctx.Command != nil && findFlag(ctx.Command.Flags, "color") != nil && ctx.IsSet("color") {
			return ctx.String("color")
		}
	}
	return "auto"
}

// colorOn decides colour for one stream: --color=always or never wins;
// otherwise a non-empty NO_COLOR or TERM=dumb turns it off, and else it is
// on only if that stream is a terminal.
func (e *runEnv) colorOn(mode string, w io.Writer) bool {
	colorable := e.colorable
	if colorable == nil {
		colorable = enableVT
	}
	switch mode {
	case "always":
		colorable(w) // a console that can take them does
		return true
	case "never":
		return false
	}
	if e.getenv("NO_COLOR") != "" || e.getenv("TERM") == "dumb" {
		return false
	}
	// A Windows console shows escapes as text (←[31m) unless told to
	// read them, which only the stream's own handle can be (fatih/color
	// tells stdout's alone, and only when it is the console).
	return e.isTerminal(w) && colorable(w)
}

// setColor records --color for the run (for the error printed at the
// end) and returns it. Each coloured writer decides for its own stream
// with colorOn; fatih/color's global switch is never written.
func setColor(c *cli.Context) string {
	e := envOf(c)
	e.colorMode = colorMode(c)
	return e.colorMode
}

// verbosity counts -v flags (-v is 1, -vv or -v -v is 2).
func verbosity(c *cli.Context) int {
	return c.Count("verbose")
}

// infof prints a message for people on stderr: "amfcall: ...".
func infof(c *cli.Context, format string, a ...any) {
	fmt.Fprintf(envOf(c).stderr, "amfcall: %s\n", escapeControls(fmt.Sprintf(format, a...)))
}

// warnf prints "amfcall: warning: ..." on stderr.
func warnf(c *cli.Context, format string, a ...any) {
	e := envOf(c)
	y := color.New(color.FgYellow, color.Bold)
	if e.colorOn(colorMode(c), e.stderr) {
		y.EnableColor()
	} else {
		y.DisableColor()
	}
	fmt.Fprintf(e.stderr, "amfcall: %s %s\n", y.Sprint("warning:"), escapeControls(fmt.Sprintf(format, a...)))
}

// verboseFlag is -v/--verbose, counted.
func verboseFlag(usage string) cli.Flag {
	return &cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: usage, Category: catMisc, DisableDefaultText: true}
}

// outputFlag is -o/--output.
func outputFlag() cli.Flag {
	return &cli.StringFlag{
		Name: "output", Aliases: []string{"o"}, Category: catOutput, TakesFile: true,
		Usage: "write to `FILE` instead of stdout, atomically (FILE appears whole or not at all); " +
			`"-o -" is stdout, and lets AMF bytes go to a terminal`,
	}
}

// jsonFlags are the flags of every command that prints AMF data as JSON.
func jsonFlags() []cli.Flag {
	return []cli.Flag{
		&cli.BoolFlag{Name: "typed", Aliases: []string{"x"}, Category: catJSON, DisableDefaultText: true,
			Usage: "write typed (lossless) JSON: int vs double, undefined, dates, bytes, classes and shared values survive a round trip"},
		&cli.BoolFlag{Name: "pretty", Category: catJSON, DisableDefaultText: true,
			Usage: "indent the JSON (the default on a terminal)"},
		&cli.BoolFlag{Name: "compact", Category: catJSON, DisableDefaultText: true,
			Usage: "write compact JSON, one document per line (the default in a pipe or a file)"},
		&cli.StringFlag{Name: "max-output", Category: catJSON, Value: "", DefaultText: "1000 times the input, at most 1G",
			Usage: "stop JSON output past `SIZE` bytes (K, M, G suffixes): shared values expand at each use in plain JSON, and strings sent by reference in typed JSON too, so a small input can explode"},
		&cli.StringFlag{Name: "charset", Category: catJSON, Value: convert.DefaultCharset,
			Usage: "decode strings that are not UTF-8 (PHP and ColdFusion gateways send Latin-1 or binary strings as stored) as `CHARSET` in plain JSON, with one warning; --typed keeps their bytes as {\"$latin1\": ...}"},
	}
}

// parseSize reads a byte count with an optional K, M or G suffix
// (powers of 1024).
func parseSize(s string) (int64, error) {
	t := strings.TrimSuffix(strings.ToUpper(strings.TrimSpace(s)), "B")
	mult := int64(1)
	switch {
	case strings.HasSuffix(t, "K"):
		mult, t = 1<<10, t[:len(t)-1]
	case strings.HasSuffix(t, "M"):
		mult, t = 1<<20, t[:len(t)-1]
	case strings.HasSuffix(t, "G"):
		mult, t = 1<<30, t[:len(t)-1]
	}
	n, err := strconv.ParseInt(t, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("invalid size %q%s", s, tookArgument(s))
	}
	return n * mult, nil
}

// jsonOptions reads the JSON flags into convert options for output going
// to out. inputSize sizes the default --max-output (1000 times the input,
// at most 1 GiB). It checks the flags only; call it before any I/O.
func jsonOptions(c *cli.Context, out *output, inputSize int64) (*convert.Options, error) {
	if c.Bool("pretty") && c.Bool("compact") {
		return nil, usageErrorf("--pretty can't be used with --compact")
	}
	o := &convert.Options{Typed: c.Bool("typed")}
	pretty := c.Bool("pretty") || (!c.Bool("compact") && out.terminal())
	if pretty {
		o.Indent = "  "
	}
	e := envOf(c)
	if out.stdout() && e.colorOn(colorMode(c), e.stdout) {
		o.Palette = convert.DefaultPalette
	}
	if s := c.String("max-output"); s != "" {
		n, err := parseSize(s)
		if err != nil {
			return nil, usageErrorf("--max-output: %v", err).hint("give a byte count such as 1048576, 500M or 2G")
		}
		o.MaxOutput = n
	} else if inputSize > 0 {
		o.MaxOutput = min(1<<30, 1000*inputSize)
	}
	if cs := c.String("charset"); cs != "" {
		if _, err := convert.LookupCharset(cs); err != nil {
			return nil, usageErrorf("--charset: %v", err)
		}
		o.Charset = cs
	}
	o.Warn = func(msg string) { warnf(c, "%s", msg) }
	return o, nil
}

// readInput reads the whole of a command's input: the file name, or stdin
// when name is "" or "-". It returns the data and a name for messages.
func readInput(c *cli.Context, name string) ([]byte, string, error) {
	return readInputFor(c, "", name, "use - or no FILE for stdin")
}

// readInputFor is readInput for an input that a flag or an argument names
// (what: "-d", "--batch", "argument 2"; "" for the command's FILE), which
// its messages name; stdinHint says how that input is read from stdin.
// utf8BOM starts the JSON files some Windows tools save (Notepad,
// PowerShell 5's Out-File -Encoding utf8); convert reads them as JSON.
var utf8BOM = []byte("\xef\xbb\xbf")

// endOfInputKeys is what ends the input typed on the terminal: Ctrl-D on
// a Unix terminal; in a Windows console, Ctrl-Z at the start of a line,
// then Enter (Ctrl-D there is only one more character).
func endOfInputKeys() string {
	if windowsShell {
		return "Ctrl-Z, then Enter"
	}
	return "Ctrl-D"
}

// trimBOM blanks a UTF-8 byte order mark before JSON text (-d, -d @FILE,
// an ARG, --amf-header, --batch, --packet, --from-har, --session): three
// spaces in its place, in b itself, as convert reads such a file.
// Positions in JSON errors (the byte offset, line 1's column) are then
// those of the user's own bytes; they were 3 short when the mark was cut.
// UTF-16 text with its byte order mark (Windows PowerShell 5's > and
// Out-File, .NET) is read as the same text in UTF-8
// (convert.DecodeUTF16): positions are in that text.
func trimBOM(b []byte) []byte {
	if text, ok := convert.DecodeUTF16(b); ok {
		return text
	}
	if bytes.HasPrefix(b, utf8BOM) {
		copy(b, "   ")
	}
	return b
}

// openHint is the hint of a file that did not open: curl's @FILE
// spelling, where a file name is plain (convert @reply.amf, --batch
// @calls.jsonl), gets the name without its @.
func openHint(name, stdinHint string) string {
	if rest, ok := strings.CutPrefix(name, "@"); ok && isRegularFile(rest) {
		if strings.Contains(stdinHint, "@-") {
			return fmt.Sprintf("one @ is enough: write %s", atWord(rest)) // call URL svc.m @@photo.jpg
		}
		return fmt.Sprintf("the file name comes without @ here (@FILE is for call's arguments and -d): write %s", shellWord(rest))
	}
	return "check the file name; " + stdinHint
}

func readInputFor(c *cli.Context, what, name, stdinHint string) ([]byte, string, error) {
	e := envOf(c)
	prefix := ""
	if what != "" {
		prefix = what + ": "
	}
	if name == "" || name == "-" {
		if e.stdinTaken != "" {
			return nil, "stdin", usageErrorf("%sstdin is already read by %s", prefix, e.stdinTaken).
				hint("only one input can come from stdin; give the others as files")
		}
		e.stdinTaken = "the input"
		if what != "" {
			e.stdinTaken = what
		}
		if e.isTerminal(e.stdin) {
			infof(c, "reading the input from the terminal; end it with %s (or give a FILE)", endOfInputKeys())
		}
		if err := checkStdinSize(e, what); err != nil {
			return nil, "stdin", err
		}
		if data, ok := e.mapStdin(); ok {
			return data, "stdin", nil
		}
		var data []byte
		var err error
		reserved := false
		if e.stdinFile {
			// A pipe (a regular file was mapped), perhaps behind the
			// buffer that looked for an FLV signature.
			data, reserved, err = readReserved(e.stdin, maxInput)
			if reserved && err == nil {
				e.reserved = append(e.reserved, data)
			}
		}
		if !reserved {
			data, err = readAtMost(e.stdin, maxInput)
		}
		if err != nil {
			return nil, "stdin", fmt.Errorf("%sreading stdin: %w", prefix, err)
		}
		return data, "stdin", nil
	}
	f, err := os.Open(name)
	if err != nil {
		if h := permissionHint(err); h != "" {
			return nil, name, withCode(exitUsage, fmt.Errorf("%s%w", prefix, err)).hint(h)
		}
		return nil, name, withCode(exitUsage, fmt.Errorf("%s%w", prefix, err)).hint(openHint(name, stdinHint))
	}
	defer f.Close()
	st, err := f.Stat()
	if err == nil && st.IsDir() {
		return nil, name, usageErrorf("%s%s is a directory", prefix, name).hint("give a file")
	}
	if err == nil {
		if err := checkInputSize(what, name, st); err != nil {
			return nil, name, err
		}
	}
	if err == nil && st.Mode().IsRegular() && st.Size() >= mapMin && st.Size() <= maxInput {
		if data, ok := mapFile(f, st.Size()); ok {
			e.mapInput(data)
			return data, name, nil
		}
	}
	data, err := readAtMost(f, maxInput)
	if err != nil {
		return nil, name, fmt.Errorf("%sreading %s: %w", prefix, name, err)
	}
	return data, name, nil
}

// readAtMost reads all of r, failing when it holds more than n bytes.
//
// A regular file is read in one call into a buffer of its size (plus
// the byte that tells whether it grew). Anything else (a pipe) is read
// into chunks that double up to readChunkMax, joined once at the end:
// growing one buffer would copy the data again at each doubling and
// leave every smaller buffer behind as garbage (for 5.6 MB from a pipe,
// 16 MB allocated and 11 MB copied, against 14 MB and 5.6 MB; the
// part of the last chunk that nothing is read into is never touched).
// mapMin is the size from which a named file is mapped into memory
// rather than read: no copy, and the pages come from the page cache as
// they are needed (W1 x 100, 5.6 MB: the read(2) took 4.3 ms, a fault
// per page of the buffer).
const mapMin = 1 << 20

// mapInput notes that the input is a mapped file: when the file is cut
// short meanwhile, reading the pages past its new end faults, which is
// then a panic (not a crash) that run reports as an input error.
func (e *runEnv) mapInput(data []byte) {
	e.mapped = append(e.mapped, data)
	debug.SetPanicOnFault(true)
}

// dropInput gives back the pages of data, an input that is read no more,
// when it is mapped: a file's pages read again come back from the file;
// an anonymous mapping's (stdin read by readReserved) come back as
// zeros, so data must not be read again.
func (e *runEnv) dropInput(data []byte) {
	if len(data) == 0 {
		return
	}
	for _, m := range slices.Concat(e.mapped, e.reserved) {
		if len(m) > 0 && &m[0] == &data[0] {
			dropPages(m[:cap(m)])
		}
	}
}

// mapStdin maps stdin when it is a regular file ("< FILE") with mapMin
// bytes or more from where it stands, which is then moved to its end as
// a read would.
func (e *runEnv) mapStdin() ([]byte, bool) {
	f, ok := e.stdin.(*os.File)
	if !ok {
		return nil, false
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		return nil, false
	}
	off, err := f.Seek(0, io.SeekCurrent)
	if err != nil || st.Size()-off < mapMin || st.Size()-off > maxInput {
		return nil, false
	}
	data, ok := mapFile(f, st.Size())
	if !ok {
		return nil, false
	}
	if _, err := f.Seek(0, io.SeekEnd); err != nil {
		return nil, false
	}
	e.mapInput(data)
	return data[off:], true
}

// inMapped reports whether the address a fault names is in a mapped
// input, and where in it.
func (e *runEnv) inMapped(addr uintptr) (offset int64, ok bool) {
	for _, m := range e.mapped {
		start := uintptr(unsafe.Pointer(unsafe.SliceData(m)))
		if addr >= start && addr-start < uintptr(len(m)) {
			return int64(addr - start), true
		}
	}
	return 0, false
}

func readAtMost(r io.Reader, n int64) ([]byte, error) {
	size := int64(readChunkMin)
	if f, ok := r.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() < n {
			size = st.Size() + 1
		}
	}
	var chunks [][]byte
	var total int64
	for {
		buf := make([]byte, min(size, n+1-total))
		k, err := io.ReadFull(r, buf)
		total += int64(k)
		chunks = append(chunks, buf[:k])
		if total > n {
			return nil, withCode(exitInput, fmt.Errorf("input is larger than %d bytes", n))
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			break
		}
		if err != nil {
			return nil, err
		}
		size = min(2*size, readChunkMax)
	}
	if len(chunks) == 1 {
		return chunks[0], nil
	}
	data := make([]byte, 0, total)
	for _, c := range chunks {
		data = append(data, c...)
	}
	return data, nil
}

// The chunks readAtMost reads a stream of unknown size into.
const (
	readChunkMin = 64 << 10
	readChunkMax = 8 << 20
)

// output is where a command's result goes: stdout, or a temporary file
// beside the named one that commit renames over it, so that an error never
// leaves a half-written or truncated file behind.
type output struct {
	env  *runEnv
	flag string           // the flag that named it, for messages
	path string           // the file asked for; "" for stdout
	tmp  *atomicfile.File // the temporary file, for a regular-file target
	// release ends the removal of tmp on Ctrl-C (dropOnSignal), running
	// its argument first.
	release func(last func())
	w       io.Writer
	done    bool
	// werr is the first error of a write to w: the output's fault (a
	// full disk, a closed pipe), whatever the converter that wrote
	// wraps it in.
	werr error
}

// jsonOutput opens the -o output of a command that writes a reply as
// JSON, with the JSON flags read for it.
func jsonOutput(c *cli.Context) (*output, *convert.Options, error) {
	out, err := createOutput(c, "", false)
	if err != nil {
		return nil, nil, err
	}
	opts, err := jsonOptions(c, out, 0)
	if err != nil {
		return nil, nil, err
	}
	return out, opts, nil
}

// createOutput opens the output named by -o: stdout when path is "" or
// "-". binary says the command writes AMF bytes: those are refused on a
// terminal unless -o - was given.
func createOutput(c *cli.Context, path string, binary bool) (*output, error) {
	return createOutputFor(c, "-o", path, binary)
}

// createOutputFor is createOutput for the output file of the flag named
// flag ("-o", "--save-request"), which messages name.
func createOutputFor(c *cli.Context, flag, path string, binary bool) (*output, error) {
	e := envOf(c)
	if path == "" || path == "-" || e.isStdout(path) {
		if binary && path == "" && e.isTerminal(e.stdout) {
			return nil, refuseBinary()
		}
		return &output{env: e, w: e.stdout}, nil
	}
	o := &output{env: e, flag: flag, path: path}
	if err := checkDevFd(flag, path); err != nil {
		return nil, err
	}
	if w := e.openStream(path); w != nil {
		// -o /dev/stderr with stderr a file (2>>log), -o /dev/fd/3:
		// written through, as /dev/stdout is, not replaced.
		o.w = w
		return o, nil
	}
	st, err := os.Stat(path)
	switch {
	case err == nil && st.IsDir():
		return nil, usageErrorf("%s %s: is a directory", flag, path).hint("give a file name")
	case err == nil && !st.Mode().IsRegular():
		// A device or a pipe (/dev/null, a FIFO): write to it directly;
		// renaming over it would replace it.
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return nil, withCode(exitUsage, err)
		}
		o.tmp, o.w = nil, f
		return o, nil
	case err != nil && !errors.Is(err, os.ErrNotExist):
		return nil, withCode(exitUsage, err)
	case err == nil:
		if err := readOnlyFile(flag, path, ""); err != nil {
			return nil, err
		}
	}
	// A new file is its owner's only (0600): a reply, a saved request or
	// a dump may carry credentials, cookies or private data. A file that
	// exists keeps its permissions.
	f, release, err := createDroppable(func() (*atomicfile.File, error) { return createAtomic(path, newFileMode) },
		func(f *atomicfile.File) { f.Cleanup() })
	if err != nil {
		return nil, withCode(exitUsage, fmt.Errorf("%s %s: %w", flag, path, unwrapPath(err))).
			hint(createHint(err))
	}
	o.tmp, o.w, o.release = f, f, release
	return o, nil
}

// isStdout reports whether path names the file that is stdout: -o
// /dev/stdout (or /dev/fd/1) with stdout redirected to a file. That file
// was replaced whole, as any -o FILE is: "{ echo head; amfcall convert
// -o /dev/stdout ...; echo tail; } > log" and "... >> log" left only
// amfcall's output in log, and the shell's later writes went to the
// file replaced. It is written through stdout instead, at its offset.
func (e *runEnv) isStdout(path string) bool {
	f, ok := e.stdout.(*os.File)
	if !ok {
		return false
	}
	so, err := f.Stat()
	if err != nil || !so.Mode().IsRegular() {
		return false // a pipe or a terminal: opening the path writes to it
	}
	sp, err := os.Stat(path)
	return err == nil && os.SameFile(so, sp)
}

// openStream returns, for a path that names a file the process already
// writes as stderr, or as the descriptor N of /dev/fd/N (N > 2), a
// writer through it, at the descriptor's offset: the file that a shell
// opened for "2>>log" or "3>log" was replaced whole (the atomic write of
// any -o FILE, through the link), so that the log held amfcall's output
// alone, and the shell's later writes went to the file replaced. nil when
// path is none of these, or not a regular file (a pipe or a terminal:
// opening the path writes to it).
func (e *runEnv) openStream(path string) io.Writer {
	sp, err := os.Stat(path)
	if err != nil || !sp.Mode().IsRegular() {
		return nil
	}
	if f, ok := e.stderr.(*os.File); ok {
		if so, err := f.Stat(); err == nil && so.Mode().IsRegular() && os.SameFile(so, sp) {
			return struct{ io.Writer }{f} // never closed
		}
	}
	n, ok := devFdNumber(path)
	if !ok || fdGiven(n) != nil {
		return nil // amfcall's own descriptor, or one not open for writing
	}
	// The descriptor itself (the path is its file), which the shell
	// opened: its offset is shared ("3>log": after what the shell
	// wrote; an open of the path would write at 0, and O_APPEND past
	// what the shell writes next). Kept for the life of the process,
	// never closed (a finalizer would close the shell's descriptor).
	streamsMu.Lock()
	defer streamsMu.Unlock()
	f := streams[n]
	if f == nil {
		f = os.NewFile(uintptr(n), path)
		streams[n] = f
	}
	return struct{ io.Writer }{f}
}

// devFdNumber is N of a path /dev/fd/N with N > 2 (0, 1 and 2 are
// stdin, stdout and stderr, which -o handles on their own).
func devFdNumber(path string) (int, bool) {
	fd, ok := strings.CutPrefix(path, "/dev/fd/")
	n, err := strconv.Atoi(fd)
	return n, ok && err == nil && n > 2
}

// fdGiven tells whether the descriptor n is one the shell gave amfcall
// open for writing ("3>log", "3>>log"), from what Linux says of it in
// /proc/self/fdinfo/n: nil when it is, or when that cannot be told (no
// such file: another system, or n not open, which opening the path then
// says). Else the error to give: a descriptor amfcall opened itself
// (Go opens every one close-on-exec, which a descriptor inherited
// through exec cannot be): "-o /dev/fd/3" with no 3> on the command line
// named the input file, or the runtime's epoll, and was written to
// ("writing /dev/fd/3: bad file descriptor", "invalid argument"); or one
// the shell opened for reading only ("3<file").
func fdGiven(n int) error {
	b, err := os.ReadFile("/proc/self/fdinfo/" + strconv.Itoa(n))
	if err != nil {
		return nil
	}
	for line := range strings.Lines(string(b)) {
		v, ok := strings.CutPrefix(line, "flags:")
		if !ok {
			continue
		}
		flags, err := strconv.ParseUint(strings.TrimSpace(v), 8, 64)
		if err != nil {
			return nil
		}
		const oCloexec, oAccmode, oRdonly = 0o2000000, 0o3, 0o0 // Linux's
		switch {
		case flags&oCloexec != 0:
			return fmt.Errorf("descriptor %d is not one the shell gave amfcall (none was opened on the command line, as %d>FILE does)", n, n)
		case flags&oAccmode == oRdonly:
			return fmt.Errorf("descriptor %d is open for reading only (%d<FILE), not for writing", n, n)
		}
		return nil
	}
	return nil
}

// checkDevFd refuses, for the output of flag, a path /dev/fd/N whose
// descriptor was not given to amfcall for writing (fdGiven): exit 2,
// before anything is sent or written.
func checkDevFd(flag, path string) error {
	n, ok := devFdNumber(path)
	if !ok {
		return nil
	}
	if err := fdGiven(n); err != nil {
		return withCode(exitUsage, fmt.Errorf("%s %s: %w", flag, path, err)).
			hint(fmt.Sprintf("open the descriptor for amfcall on the command line: %d>FILE (or %d>>FILE to append), or give the file's name", n, n))
	}
	return nil
}

// streams are the descriptors that openStream writes through.
var (
	streamsMu sync.Mutex
	streams   = map[int]*os.File{}
)

// newFileMode is the permissions of a file amfcall creates for the
// user (-o, --save-request, --save-response; less the umask).
const newFileMode = 0o600

// createHint is the hint of a file that createAtomic could not open.
func createHint(err error) string {
	if errors.Is(err, atomicfile.ErrForeignLink) || errors.Is(err, atomicfile.ErrForeignFile) {
		return "someone else's file or link in a shared folder is not to be trusted: remove it, or use a file of your own"
	}
	return "check that the directory exists and is writable"
}

// createAtomic opens the file that will replace path once committed
// (CloseAtomicallyReplace: written to a temporary file beside it, synced
// to disk, then renamed over it), so that path holds the old content or
// the whole new one, never a part, even after a crash. A path that is a
// symbolic link is written through: the link's target is replaced and
// the link stays. A new file gets perm (less the umask); an existing one
// keeps its permissions.
func createAtomic(path string, perm os.FileMode) (*atomicfile.File, error) {
	return atomicfile.Create(path, perm)
}

// sameFile reports whether writing the file out would replace the file
// in: the same file, or a link to it. An in of "" or "-" is standard
// input, which can be a file the shell opened (< FILE). Only regular
// files count: writing to /dev/null or a FIFO that is also read replaces
// nothing.
func (e *runEnv) sameFile(in, out string) bool {
	if out == "" || out == "-" {
		return false
	}
	so, err := os.Stat(out)
	if err != nil || !so.Mode().IsRegular() {
		return false
	}
	si := e.stdinStat
	if in != "" && in != "-" {
		if si, err = os.Stat(in); err != nil {
			return false
		}
	}
	return si != nil && si.Mode().IsRegular() && os.SameFile(si, so)
}

// checkOutputPath fails with a usage error when the file that flag will
// write at path cannot be created: its directory is missing or is not a
// directory, or path is a directory. Commands that talk to a gateway call
// it before sending anything, so that a bad path does not cost a remote
// call (which may have changed something) and its result.
func checkOutputPath(flag, path string) error {
	if flag == "--session" && path == "-" {
		// Read at the start and written at the end: not stdin nor
		// stdout (it was a file named "-").
		return usageErrorf("--session needs a file name, not -").hint("the session is read at the start and written at the end, e.g. --session s.json")
	}
	if path == "" || path == "-" {
		return nil
	}
	st, err := os.Stat(path)
	if err == nil && st.IsDir() {
		return usageErrorf("%s %s: is a directory", flag, path).hint("give a file name")
	}
	if err == nil && st.Mode().IsRegular() && flag != "--session" {
		// (A --session file is set back to 0600 when written.)
		if err := readOnlyFile(flag, path, "; nothing was sent"); err != nil {
			return err
		}
	}
	dir := filepath.Dir(path)
	st, err = os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return usageErrorf("%s %s: the directory %s does not exist", flag, path, dir).
			hint("create it first (mkdir -p " + dir + "), or choose another file; nothing was sent")
	case err != nil:
		return withCode(exitUsage, fmt.Errorf("%s %s: %w", flag, path, err))
	case !st.IsDir():
		return usageErrorf("%s %s: %s is not a directory", flag, path, dir).
			hint("choose another file; nothing was sent")
	}
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		return nil // a device or a FIFO, written as it is
	}
	// The file is written beside its name and renamed (atomically): its
	// folder must take a new file. A read-only folder was found only
	// once the reply had come: the call was made (it may have changed
	// something), its result printed, and then exit 2. A symbolic link
	// is written through: the folder is its target's (/dev/stdout's is
	// that of the file stdout goes to).
	if real, err := filepath.EvalSymlinks(path); err == nil {
		dir = filepath.Dir(real)
	}
	if err := canWriteIn(dir); err != nil {
		return usageErrorf("%s %s: cannot create a file in %s: %v", flag, path, dir, unwrapPath(err)).
			hint("choose a folder you can write to; nothing was sent")
	}
	return nil
}

// checkSavePath is checkOutputPath for call's --save-request,
// --save-response and --session: a file that is stdout (--save-response
// /dev/stdout >> log) is written through it, as createOutputFor does, so
// no file is made in its folder, which need not take one.
func (e *runEnv) checkSavePath(flag, path string) error {
	if flag == "--session" {
		return checkOutputPath(flag, path) // read, then replaced: no stream
	}
	if e.isStdout(path) {
		return nil
	}
	if err := checkDevFd(flag, path); err != nil {
		return err
	}
	if e.openStream(path) != nil {
		return nil // written through, as stdout is
	}
	return checkOutputPath(flag, path)
}

// canWriteIn reports why a file cannot be created in the folder dir (a
// read-only folder or file system), nil when it can: it creates a hidden
// temporary file there, as an atomic write or a download does, and
// removes it.
func canWriteIn(dir string) error {
	f, err := os.CreateTemp(dir, ".amfcall-check-*.tmp")
	if err != nil {
		return err
	}
	f.Close()
	return os.Remove(f.Name())
}

// readOnlyFile refuses an existing file that its owner made read-only
// (chmod a-w): "> FILE" refuses it, and so do -o, --save-request and
// --save-response, whose rename would replace it whatever its mode. The
// file is opened without O_TRUNC and closed at once, unchanged; root may
// write it, as the shell lets root. nil when it may be written.
//
// On Windows a read-only file is one with the read-only attribute (Go's
// mode without 0o200), which binds administrators too: it is read from
// the file's attributes, as the open does not refuse it everywhere (Wine
// run as root), and the hint names attrib.
func readOnlyFile(flag, path, more string) *exitError {
	fix := "chmod u+w"
	if runtime.GOOS == "windows" {
		fix = "attrib -r"
		if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() || st.Mode().Perm()&0o200 != 0 {
			return nil
		}
	} else {
		f, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err == nil {
			f.Close()
			return nil
		}
		if !errors.Is(err, fs.ErrPermission) {
			return nil // said when it is written, if it matters
		}
		if st, serr := os.Stat(path); serr == nil && st.Mode().Perm()&0o200 != 0 && errors.Is(err, syscall.EACCES) {
			// Writable by its owner, not by us: another user's file
			// (one root made, in a shared folder). "the file is
			// read-only: chmod u+w FILE" was wrong, and chmod fails.
			return usageErrorf("%s %s: permission denied: the file is not writable by you (its owner can write it)", flag, path).
				hint(fmt.Sprintf("choose another file, or ask its owner to let you write it%s", more))
		}
	}
	return usageErrorf("%s %s: permission denied: the file is read-only", flag, path).
		hint(fmt.Sprintf("make it writable (%s %s) to replace it, or choose another file%s", fix, shellWord(path), more))
}

func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// refuseBinary is the error for AMF bytes on a terminal.
func refuseBinary() error {
	return usageErrorf("refusing to write AMF bytes to a terminal").
		hint(`write them to a file with -o FILE, see them as hex with "--to hex:amf3" (or hex:amf0, hex:packet), or force it with "-o -"`)
}

// refuseBinaryAs is refuseBinary once the output's form is known (a .sol
// file, a packet, socket frames...): its hint gives that form's hex.
func refuseBinaryAs(format string) error {
	return usageErrorf("refusing to write AMF bytes (%s) to a terminal", format).
		hint(fmt.Sprintf(`write them to a file with -o FILE, see them as hex with "--to hex:%s", or force it with "-o -"`, format))
}

// stdout reports whether the output is the program's stdout.
func (o *output) stdout() bool { return o.path == "" }

// terminal reports whether the output is stdout and stdout is a terminal.
func (o *output) terminal() bool { return o.stdout() && o.env.isTerminal(o.env.stdout) }

// name is the output's name for messages.
func (o *output) name() string {
	if o.path == "" {
		return "stdout"
	}
	return o.path
}

func (o *output) Write(p []byte) (int, error) {
	n, err := o.w.Write(p)
	if err != nil && o.werr == nil {
		o.werr = err
	}
	return n, err
}

// writeError is the error for a failed write to the output, when one
// failed: a usage error (exit 2) naming the output, as a failed write
// is for every command, not the input's fault (the converters that
// write as they go return it inside an error about the input).
func (o *output) writeError() error {
	if o == nil || o.werr == nil {
		return nil
	}
	if errors.Is(o.werr, syscall.EPIPE) {
		// -o /dev/stdout or a FIFO whose reader went away: as stdout
		// itself would (exit 141, nothing said), not a full disk.
		return fmt.Errorf("writing %s: %w", o.name(), errReaderGone)
	}
	return withCode(exitUsage, fmt.Errorf("writing %s: %w%s", o.name(), unwrapPath(o.werr), o.leftAsItWas())).
		hint(writeHint(o.werr))
}

// writeHint is the hint of a failed write: a full disk (ENOSPC, a
// quota), a device that failed (EIO), or a file past the size one file
// may have (EFBIG: "ulimit -f", FAT's 4 GiB), where room is not what
// lacks.
func writeHint(err error) string {
	switch {
	case errors.Is(err, syscall.EIO):
		return "the disk or file system reported an I/O error: check it (dmesg), or write elsewhere"
	case errors.Is(err, syscall.EFBIG):
		return "the file would pass the largest size allowed for one file (the shell's ulimit -f, or the file system's, as FAT's 4 GiB): raise the limit, or write elsewhere"
	}
	return "check that there is room where the output goes"
}

// leftAsItWas says, of an output written to a temporary file beside its
// name and renamed once whole (-o FILE, --save-response FILE), what a
// failure left: the file as it was, or none; nothing half-written (the
// temporary file is removed). "" for stdout, a device or a FIFO, which
// got what was written.
func (o *output) leftAsItWas() string {
	if o.tmp == nil || o.path == "" {
		return ""
	}
	if _, err := os.Lstat(o.path); err == nil {
		return fmt.Sprintf("; %s is left as it was (nothing half-written)", o.path)
	}
	return fmt.Sprintf("; %s was not created (nothing half-written)", o.path)
}

// failed is the error of a writer over the output that failed with err:
// the output's own write error (a full disk: exit 2, naming the file and
// what was left) when there was one, else err as it is.
func (o *output) failed(err error) error {
	if werr := o.writeError(); werr != nil {
		return werr
	}
	return fmt.Errorf("writing %s: %w", o.name(), err)
}

// commit finishes the output: the temporary file is renamed over the
// target. After an error nothing is left behind and the target is as it
// was.
func (o *output) commit() error {
	if o.done {
		return nil
	}
	o.done = true
	if o.tmp == nil {
		if c, ok := o.w.(io.Closer); ok && o.path != "" {
			return c.Close()
		}
		return nil
	}
	var err error
	o.release(func() {
		if err = o.tmp.CloseAtomicallyReplace(); err != nil {
			o.tmp.Cleanup()
		}
	})
	if err != nil {
		e := withCode(exitUsage, fmt.Errorf("%s %s: %w%s", o.flag, o.path, unwrapPath(err), o.leftAsItWas()))
		if errors.Is(err, syscall.ENOSPC) || errors.Is(err, syscall.EIO) || errors.Is(err, syscall.EFBIG) {
			e.hint(writeHint(err)) // a full disk found when the file is synced
		}
		return inUseHint(e, err, o.path)
	}
	return nil
}

// inUseHint adds to e, of a file that err failed to replace, the hint
// for a file that Windows did not let be replaced while another program
// (an editor, a viewer) holds it open.
func inUseHint(e *exitError, err error, path string) *exitError {
	if errors.Is(err, atomicfile.ErrInUse) {
		e.hint("close it in the program that has it open and run the command again, or write to another file; " +
			path + " is as it was")
	}
	return e
}

// abort drops the output: the temporary file is removed. It does nothing
// after commit, so "defer out.abort()" is always safe.
func (o *output) abort() {
	if o.done {
		return
	}
	o.done = true
	if o.tmp != nil {
		o.release(func() { o.tmp.Cleanup() })
	} else if c, ok := o.w.(io.Closer); ok && o.path != "" {
		c.Close()
	}
}

// plural is "1 name" or "N names".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
