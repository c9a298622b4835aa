package commands

// convert of an FLV file while it is read: an FLV is mostly audio and
// video, which convert drops, so the file is read once, in order, and
// only its script tags are held (a 300 MB FLV took 300 MB read whole
// from a file and 1 GB from a pipe).

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/convert"
)

// flvStreamInput returns the command's input as a reader when it is an
// FLV file that can be read as it comes: a regular file, or stdin when it
// is not a terminal, starting as an FLV does, with no --from text
// encoding and no --from other than flv. Otherwise it returns ok false
// having read nothing that the usual path (readInput) will not read
// again; errors opening the file are left for it to report.
func flvStreamInput(c *cli.Context, in convert.InSpec) (r io.Reader, name string, closeIn func(), ok bool) {
	if in.EncodingSet || in.KindSet && in.Kind != convert.KindFLV {
		return nil, "", nil, false
	}
	e := envOf(c)
	name = c.Args().First()
	if name == "" || name == "-" {
		if e.stdinTaken != "" || e.isTerminal(e.stdin) {
			return nil, "", nil, false
		}
		if f, ok := e.stdin.(*os.File); ok {
			// A file on stdin is looked at where it stands, not through a
			// buffer: readInput then reads it in one call of its size.
			if off, err := f.Seek(0, io.SeekCurrent); err == nil {
				var head [9]byte
				n, _ := f.ReadAt(head[:], off)
				if !convert.IsFLV(head[:n]) {
					return nil, "", nil, false
				}
				e.stdinTaken = "the input"
				return bufio.NewReaderSize(f, 64<<10), "stdin", func() {}, true
			}
		}
		br := bufio.NewReaderSize(e.stdin, 64<<10)
		head, _ := br.Peek(9)
		if !convert.IsFLV(head) {
			e.stdin = br // readInput reads the bytes peeked at too
			return nil, "", nil, false
		}
		e.stdinTaken = "the input"
		return br, "stdin", func() {}, true
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, "", nil, false
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, "", nil, false
	}
	br := bufio.NewReaderSize(f, 64<<10)
	if head, _ := br.Peek(9); !convert.IsFLV(head) {
		f.Close()
		return nil, "", nil, false
	}
	return br, name, func() { f.Close() }, true
}

// convertFLVStream converts the FLV read from r to JSON (the only form
// an FLV converts to), as runConvert does with the whole input.
func convertFLVStream(c *cli.Context, r io.Reader, name string, in convert.InSpec, to convert.OutSpec, outPath string) error {
	src, n, err := convert.LoadFLV(r, name, in.KindSet)
	if in.KindSet {
		src.How = "as --from says"
	}
	var (
		out    *output
		opts   *convert.Options
		target convert.Target
		buf    []byte
	)
	if err == nil {
		target, err = src.Target(to)
	}
	if err == nil {
		out, err = createOutput(c, outPath, target.Binary())
	}
	if out != nil {
		defer out.abort()
	}
	if err == nil {
		opts, err = jsonOptions(c, out, n)
	}
	if err == nil {
		buf, err = src.Render(target, opts)
	}
	if verbosity(c) > 0 {
		if err != nil {
			// Say the input's size, as for any other input, though
			// reading stopped at the error.
			k, _ := io.Copy(io.Discard, io.LimitReader(r, maxInput-n))
			n += k
		}
		infof(c, "input: %s, %d bytes: %s", src.Name, n, src.Describe())
		if err == nil {
			infof(c, "output: %s to %s", target.Describe(opts), out.name())
		}
	}
	if err != nil {
		return err
	}
	if _, err := out.Write(buf); err != nil {
		return fmt.Errorf("writing %s: %w", out.name(), err)
	}
	return out.commit()
}
