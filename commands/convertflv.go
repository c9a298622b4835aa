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

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/convert"
)

// sizedReader is an input read as it comes whose size is known (a
// regular file): the output limit is 1000 times it, as for any input.
type sizedReader struct {
	*bufio.Reader
	size int64
}

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
				var size int64
				if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
					size = st.Size() - off
				}
				return sizedReader{bufio.NewReaderSize(f, 64<<10), size}, "stdin", func() {}, true
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
	return sizedReader{br, st.Size()}, name, func() { f.Close() }, true
}

// convertFLVStream converts the FLV read from r to JSON (the only form
// an FLV converts to), as runConvert does with the whole input.
func convertFLVStream(c *cli.Context, r io.Reader, name string, in convert.InSpec, to convert.OutSpec, outPath string) error {
	if ok, err := convertFLVJSON(c, r, name, in, to, outPath); ok {
		return err
	}
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
	sayFLVSizes(c, r, n, src, err == nil, func() string { return target.Describe(opts) + " to " + out.name() })
	if err != nil {
		return err
	}
	if _, err := out.Write(buf); err != nil {
		return fmt.Errorf("writing %s: %w", out.name(), err)
	}
	return out.commit()
}

// convertFLVJSON is convertFLVStream for JSON output (raw, not hex or
// base64), written tag by tag as the FLV is read (convert.WriteFLVJSON):
// memory does not grow with the number of script tags. It reports false,
// having read nothing, for other output.
func convertFLVJSON(c *cli.Context, r io.Reader, name string, in convert.InSpec, to convert.OutSpec, outPath string) (bool, error) {
	src := &convert.Source{Name: name, Kind: convert.KindFLV, How: "guessed from the content"}
	if in.KindSet {
		src.How = "as --from says"
	}
	target, err := src.Target(to)
	if err != nil || target.Format != "json" || target.Encoding != convert.Raw {
		return false, nil
	}
	out, err := createOutput(c, outPath, false)
	if err != nil {
		return true, err
	}
	defer out.abort()
	var size int64
	if sr, ok := r.(sizedReader); ok {
		size = sr.size
	}
	opts, err := jsonOptions(c, out, size)
	if err != nil {
		return true, err
	}
	// A file of its own (-o FILE) replaces its target only on success.
	opts.Discardable = out.tmp != nil
	ow := &stickyWriter{w: out} // its error is the output's, not the conversion's
	n, err := convert.WriteFLVJSON(ow, r, name, opts)
	if ow.err != nil {
		err = fmt.Errorf("writing %s: %w", out.name(), ow.err)
	}
	sayFLVSizes(c, r, n, src, err == nil, func() string { return target.Describe(opts) + " to " + out.name() })
	if err != nil {
		return true, err
	}
	return true, out.commit()
}

// sayFLVSizes says, with -v, the size of the FLV read as a stream of n
// bytes so far (all of r's, reading the rest when the conversion
// stopped at an error) and, when it succeeded, what was written where.
func sayFLVSizes(c *cli.Context, r io.Reader, n int64, src *convert.Source, ok bool, output func() string) {
	if verbosity(c) == 0 {
		return
	}
	if !ok {
		// Say the input's size, as for any other input, though reading
		// stopped at the error.
		k, _ := io.Copy(io.Discard, io.LimitReader(r, maxInput-n))
		n += k
	}
	infof(c, "input: %s, %d bytes: %s", src.Name, n, src.Describe())
	if ok {
		infof(c, "output: %s", output())
	}
}

// checkFLVTarget refuses an -o FILE that is an FLV file holding audio,
// video or other tags that are not script data: the FLV that convert
// writes holds script data tags only (the JSON form has no others), so
// replacing such a file would lose its audio and video. "convert
// video.json -o video.flv", the way back from "convert video.flv >
// video.json", did so without a word. The file is read up to its first
// such tag, which in a video is the second or third.
func checkFLVTarget(path string) error {
	if path == "" || path == "-" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil // none yet, or said when it is written
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil || !st.Mode().IsRegular() {
		return nil
	}
	fr := amf.NewFLVStreamReader(bufio.NewReader(f))
	for {
		t, err := fr.Next()
		if err != nil {
			return nil // the end, or no FLV file: nothing of it is lost
		}
		if t.IsScript() {
			continue
		}
		kind := fmt.Sprintf("tags of type %d", t.Type)
		switch {
		case t.Encrypted:
			kind = "encrypted tags"
		case t.Type == amf.FLVTagAudio:
			kind = "audio"
		case t.Type == amf.FLVTagVideo:
			kind = "video"
		}
		return usageErrorf("-o %s: this FLV file holds %s (tag %d, at offset %d), and the FLV written from JSON holds script data tags only: replacing it would lose them", path, kind, t.Index, t.Offset).
			hint("write the FLV to another file (-o new.flv); its onMetaData cannot be put back into this video by amfcall")
	}
}

// checkFramesTarget refuses an -o FILE that holds AMF Socket frames when
// JSON is about to be written there as bare AMF3 values, the default for
// JSON that is no packet, .sol or FLV: "convert --typed cap.frames >
// cap.json", then "convert cap.json -o cap.frames" replaced the capture
// with values in a row, without their frames, unsaid; --to socket is
// what writes frames. Files over 64 MiB are not looked at.
func checkFramesTarget(path string) error {
	if path == "" || path == "-" {
		return nil
	}
	st, err := os.Stat(path)
	if err != nil || !st.Mode().IsRegular() || st.Size() > 64<<20 {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil || !convert.IsFrames(data) {
		return nil
	}
	return usageErrorf("-o %s: this file holds AMF Socket frames, and the JSON would be written over it as bare AMF3 values, without frames", path).
		hint("JSON lines become frames with --to socket; --to amf3 writes the bare values over it all the same")
}
