package convert

// The JSON of a .sol file, plain and typed, written straight from the
// tokens (issue 7), as packetdirect.go writes packets: Load reads the
// file with amf.ScanSOL (every value read, none built), the writers read
// it again member by member with one Reader, whose reference tables span
// the file as UnmarshalSOL's do. What they do not take goes to the value
// path (UnmarshalSOL, then AppendSOL), decided before any output: a value
// that refers to the data object (AMF0 reference 0: a cycle to "/data"
// in plain JSON, an "$id" on "data" in typed JSON), and, to typed JSON,
// an AMF0 file with an AMF3 object inside an AMF0 typed object (see
// traitsClash).

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/amfcall/amfcall/amf"
)

// solScan is what Load's scan found in a .sol file read as names only.
type solScan struct {
	info amf.SOLScan
}

// scanSOL reads data as a .sol file's names (amf.ScanSOL), or returns
// nil when the value path must decode it.
func scanSOL(data []byte) (*amf.SOL, *solScan) {
	s, info, ok := amf.ScanSOL(data)
	if !ok {
		return nil, nil
	}
	return s, &solScan{info: info}
}

// wholeSOL decodes the values of a .sol file that Load read as names
// only, for the paths that need the value model.
func (src *Source) wholeSOL() error {
	if src.Kind != KindSOL || src.sol == nil {
		return nil
	}
	s, err := amf.UnmarshalSOL(src.Data)
	if err != nil {
		return errorIn(src.Name, err)
	}
	src.SOL, src.sol = s, nil
	return nil
}

// renderSOLTo writes the JSON of a .sol file that Load read as names
// only, or reports false, having written nothing, for the value path.
func (src *Source) renderSOLTo(out io.Writer, o *Options) (bool, error) {
	info := src.sol.info
	typed := o != nil && o.Typed
	if info.DataRef || (typed && info.Switches && info.Objects0 && src.SOL.Version == amf.AMF0 && solClash(src.Data)) {
		return false, nil
	}
	collectScan(src.Data)
	warnRepeated(src.SOL, o) // as AppendSOL does
	if typed {
		bw := bufio.NewWriterSize(out, 64<<10)
		if _, err := src.limitNamed(nil, src.writeSOLTyped(bw, o)); err != nil {
			if errors.As(err, new(*OutputLimitError)) {
				// What was written up to the limit, which the buffer
				// holds yet.
				if ferr := bw.Flush(); ferr != nil {
					return true, ferr
				}
			}
			return true, err
		}
		return true, bw.Flush()
	}
	_, err := src.limitNamed(nil, src.writeSOLPlain(out, o))
	return true, err
}

// solHead writes what AppendSOL writes before the data object's members.
func solHead(w *writer, s *amf.SOL) {
	solEnvelope(w, s)
	w.open('{')
}

// solTail closes what solHead opened.
func solTail(w *writer, empty bool) {
	w.close('}', empty)
	w.close('}', false)
	w.buf = append(w.buf, '\n')
}

// memberPath is the JSON Pointer of a .sol member's value.
func memberPath(name string) string {
	r := strings.NewReplacer("~", "~0", "/", "~1")
	return "/data/" + r.Replace(name)
}

func (src *Source) writeSOLPlain(out io.Writer, o *Options) error {
	p := plainPool.Get().(*plainConv)
	defer p.release()
	p.rd.Reset(src.Data, amf.AMF0)
	if _, _, err := p.rd.ReadSOLStart(); err != nil {
		return errorIn(src.Name, err) // not met: Load's scan read it
	}
	// The warnings (cycles, text that is not UTF-8) once the output is
	// whole within the limit, as AppendSOL gives them.
	var warns []string
	po := Options{}
	if o != nil {
		po = *o
	}
	if po.Warn != nil {
		po.Warn = func(msg string) { warns = append(warns, msg) }
	}
	p.reset(&po, make([]byte, 0, min(4*len(src.Data)+256, 2*flushAt)), &p.rd)
	p.out, p.check, p.part = out, 0, true
	w := p.w
	s := src.SOL
	solHead(w, s)
	for i, m := range s.Members {
		if _, err := p.rd.ReadSOLName(); err != nil {
			return errorIn(src.Name, err)
		}
		// writer.dataKey of the plain form.
		k := m.Name
		if !utf8.ValidString(k) {
			k = w.note.decode(k, func() string { return memberPath(w.note.pathName(m.Name)) })
		}
		w.key(k, i == 0)
		p.base, p.prefixed = memberPath(k), true
		b, err := p.run()
		if err != nil {
			return upToLimit(err, out, w, p.flushed)
		}
		w.buf = b
		if err := p.rd.ReadSOLEnd(); err != nil {
			return errorIn(src.Name, err)
		}
	}
	solTail(w, len(s.Members) == 0)
	if p.flushed+len(w.buf) > w.maxOut {
		// Past the limit in the closing bytes: the bytes up to it, as
		// the limit writer passes them (and writePacketPlain writes
		// them), then the error; no warning for output not kept.
		if _, err := out.Write(w.buf[:max(w.maxOut-p.flushed, 0)]); err != nil {
			return err
		}
		return w.limitErr()
	}
	p.cycles.flush(w.o.Warn, 0)
	w.flushWarn()
	for _, msg := range warns {
		o.Warn(msg)
	}
	_, err := out.Write(w.buf)
	return err
}

func (src *Source) writeSOLTyped(out io.Writer, o *Options) error {
	c := typedPool.Get().(*typedConv)
	defer c.release()
	c.reset(o, out)
	s := src.SOL
	info := src.sol.info
	// Many traits (the table spans the file): read again past the
	// first 4,096, which needs the first pass (typedConv.bigDups).
	c.r.KeepTraits = info.Traits <= leanFrom
	c.r.NoReplay = !c.r.KeepTraits // as writeTypedDirect
	if info.Refs || !c.r.KeepTraits {
		// The first pass: the entries references point to, across the
		// file (one reference context).
		c.r.Reset(src.Data, amf.AMF0)
		if _, _, err := c.r.ReadSOLStart(); err != nil {
			return errorIn(src.Name, err)
		}
		for range s.Members {
			if _, err := c.r.ReadSOLName(); err != nil {
				return errorIn(src.Name, err)
			}
			if ok, err := markValues(c.r, c.batch[:], &c.marks, true); !ok {
				return errorIn(src.Name, err)
			}
			if err := c.r.ReadSOLEnd(); err != nil {
				return errorIn(src.Name, err)
			}
		}
		if !c.bigDups() {
			c.r.KeepTraits, c.marks.bigFrom = true, 0
		}
	} else {
		c.marks.vectors = info.Vectors
	}
	// AMF3 values in an AMF0 file: its AMF0 objects take part in the
	// traits rule (typedConv.mixed; run sets it from this).
	c.marks.switches = info.Switches
	c.r.Reset(src.Data, amf.AMF0)
	if _, _, err := c.r.ReadSOLStart(); err != nil {
		return errorIn(src.Name, err)
	}
	if n := min(4*len(src.Data)+64, 2*flushAt); cap(c.w.buf) < n {
		c.w.buf = make([]byte, 0, n)
	}
	w := c.w
	c.single, c.part = true, true
	solHead(w, s)
	for i, m := range s.Members {
		if _, err := c.r.ReadSOLName(); err != nil {
			return errorIn(src.Name, err)
		}
		w.dataKey(m.Name, i == 0)
		c.values, c.prefixed = 0, true
		if err := c.run(s.Version); err != nil {
			return upToLimit(err, c.out, w, c.flushed)
		}
		if err := c.r.ReadSOLEnd(); err != nil {
			return errorIn(src.Name, err)
		}
	}
	solTail(w, len(s.Members) == 0)
	w.flushWarn()
	return c.flush()
}

// solClash is traitsClash for the values of an AMF0 .sol file (one
// reference context): whether an AMF3 object is inside an AMF0 typed
// object. False also when the file does not read (not expected: Load's
// scan read it).
func solClash(data []byte) bool {
	r := amf.NewReader(data, amf.AMF0)
	if _, _, err := r.ReadSOLStart(); err != nil {
		return false
	}
	for {
		if _, err := r.ReadSOLName(); err != nil {
			return false
		}
		if clash, ok := clashValues(r, true); clash || !ok {
			return clash
		}
		if r.ReadSOLEnd() != nil {
			return false
		}
	}
}

// upToLimit writes, for an output limit error that a writer met with
// flushed bytes written to out and w.buf the output after them, the
// bytes up to the limit, as the limit writer passes them: every path
// then writes the same bytes before the error (RenderTo). It returns
// err, or the error of writing.
func upToLimit(err error, out io.Writer, w *writer, flushed int) error {
	if !errors.As(err, new(*OutputLimitError)) {
		return err
	}
	n := min(max(w.maxOut-flushed, 0), len(w.buf))
	if _, werr := out.Write(w.buf[:n]); werr != nil {
		return werr
	}
	return err
}

// errorIn names the input in an error; a nil err (a pass that stopped
// without one) is said as such.
func errorIn(name string, err error) error {
	if err == nil {
		err = errors.New("the .sol file reads otherwise than it did")
	}
	return fmt.Errorf("%s: %w", name, err)
}
