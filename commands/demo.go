package commands

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/client/gateway"
	"github.com/amfcall/amfcall/convert"
)

// sampleJPEG is the image the demo uploads: an 8x8 JPEG, the one the PyAMF
// ByteArray example's client sent in the recorded exchanges
// (testdata/sample.jpg; see testdata/README.md). A go:embed pattern
// cannot leave the package folder, hence the copy in commands/testdata,
// which a test keeps identical to testdata/sample.jpg.
//
//go:embed testdata/sample.jpg
var sampleJPEG []byte

var demoCommand = &cli.Command{
	Name:      "demo",
	Usage:     "run the ByteArray example end to end against a gateway started in-process",
	ArgsUsage: " ",
	Description: `Starts "amfcall serve" in-process on a free loopback port, with its images
in a temporary folder, and plays the PyAMF ByteArray example's client
against it: lists the snapshots, uploads a sample JPEG with
ByteArray.saveSnapshot, lists them again, downloads the new image and
checks its bytes. Each step is printed with the call it makes. Nothing is
left behind; nothing but 127.0.0.1 is contacted.

-v also shows the gateway's log (and the packets, with -vv).

Then try it on your own: "amfcall serve" in one terminal, and "amfcall
upload", "amfcall snapshots", "amfcall call" in another. --sample FILE
writes the demo's JPEG to FILE (- for stdout), an image to upload on a
machine that has none at hand, and does nothing else.

Examples:

  amfcall demo
  amfcall demo --sample sample.jpg
  amfcall demo --sample - | amfcall upload http://127.0.0.1:8000/ ByteArray.saveSnapshot - '"jpg"'`,
	Flags: []cli.Flag{
		verboseFlag("show the gateway's log on stderr (-vv: with the packets)"),
		&cli.StringFlag{Name: "sample", Category: catMisc, TakesFile: true,
			Usage: "only write the demo's 8x8 JPEG to `FILE` (- for stdout), to try upload with; an existing FILE is not replaced"},
	},
	Action: runDemo,
}

// writeSample writes the demo's image to name ("-": stdout). A file
// that is already the sample is left as it is, so that the demo's
// closing lines run again as printed; any other file is not replaced.
func writeSample(c *cli.Context, name string) error {
	e := envOf(c)
	if name == "-" {
		if e.isTerminal(e.stdout) {
			h := "pipe it (amfcall demo --sample - | amfcall upload URL ByteArray.saveSnapshot - '\"jpg\"'), or give a file name"
			if windowsShell {
				// PowerShell before 7.4 passes the bytes on as text.
				h = "give a file name: amfcall demo --sample sample.jpg, then amfcall upload URL ByteArray.saveSnapshot sample.jpg"
			}
			return usageErrorf("--sample - would write a JPEG to the terminal").hint(h)
		}
		if _, err := e.stdout.Write(sampleJPEG); err != nil {
			return stdoutError(err)
		}
		return nil
	}
	if st, err := os.Stat(name); err == nil && !st.Mode().IsRegular() && !st.IsDir() {
		// /dev/stdout, /dev/null, a FIFO: written to, as > writes to
		// them, for nothing there is replaced. Reading one to compare
		// with the sample hung ("--sample /dev/stdout | ...": reading
		// the pipe's own end until it ends, never).
		f, err := os.OpenFile(name, os.O_WRONLY, 0)
		if err != nil {
			return usageErrorf("--sample: %v", err)
		}
		defer f.Close()
		if e.isTerminal(f) {
			return usageErrorf("--sample %s would write a JPEG to the terminal", name).hint("give a file name, or pipe it: amfcall demo --sample - | ...")
		}
		if _, err := f.Write(sampleJPEG); err != nil {
			return fmt.Errorf("--sample %s: %w", name, err)
		}
		return f.Close()
	}
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		if old, rerr := os.ReadFile(name); rerr == nil && bytes.Equal(old, sampleJPEG) {
			return nil
		}
		return usageErrorf("--sample %s: the file exists, and is not the sample image", name).hint("give a new file name; an existing file is never replaced")
	}
	if err != nil {
		return usageErrorf("--sample: %v", err)
	}
	_, err = f.Write(sampleJPEG)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return fmt.Errorf("--sample: %w", err)
	}
	return nil
}

func runDemo(c *cli.Context) error {
	setColor(c)
	if err := checkArgs(c, 0, 0, ""); err != nil {
		return err
	}
	if c.IsSet("sample") {
		return writeSample(c, c.String("sample"))
	}
	e := envOf(c)
	tmp, err := os.MkdirTemp("", "amfcall-demo-")
	if err != nil {
		return fmt.Errorf("demo: temporary folder: %w", err)
	}
	defer os.RemoveAll(tmp)
	// "amfcall demo | head -3": SIGPIPE ended the process at its next
	// write, before the deferred RemoveAll, and left the folder in
	// $TMPDIR ("nothing is left behind", says --help). With the signal
	// caught the write fails (EPIPE) instead, and the run ends with 141
	// after cleaning up.
	pipe := make(chan os.Signal, 1)
	signal.Notify(pipe, syscall.SIGPIPE)
	defer signal.Stop(pipe)
	opt := gateway.Options{ImagesDir: filepath.Join(tmp, "images")}
	if v := verbosity(c); v > 0 {
		opt.Log = e.stderr
		opt.Verbose = v > 1
	}
	g, err := gateway.New(opt)
	if err != nil {
		return err
	}
	defer g.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return withCode(exitNetwork, fmt.Errorf("demo: cannot listen on 127.0.0.1: %w", unwrapNetErr(err)))
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- g.Serve(ctx, ln) }()
	defer func() {
		stop()
		<-served
	}()
	out := &stickyWriter{w: e.stdout}
	if err := playDemo(out, "http://"+ln.Addr().String()+"/", opt.ImagesDir, filepath.Join(tmp, "downloads")); err != nil {
		return err
	}
	if out.err != nil {
		return stdoutError(out.err)
	}
	return nil
}

// playDemo runs the example's client steps against the gateway at url.
func playDemo(w io.Writer, url, imagesDir, downloadDir string) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cl, err := client.New(url, client.Config{Timeout: 30 * time.Second})
	if err != nil {
		return err
	}
	js := func(v any) string {
		b, err := convert.AppendValue(nil, v, &convert.Options{})
		if err != nil {
			return fmt.Sprintf("(%v)", err)
		}
		return string(b)
	}
	fmt.Fprintf(w, "Started an AMF gateway at %s (images in %s)\n\n", url, imagesDir)

	fmt.Fprintf(w, "1. getSnapshots()\n")
	list, err := client.ListSnapshots(ctx, cl, url)
	if err != nil {
		return fmt.Errorf("demo: getSnapshots: %w", err)
	}
	fmt.Fprintf(w, "   base URL %s, types %s, %d snapshots\n\n", list.BaseURL, js(toAny(list.Types)), len(list.Items))

	fmt.Fprintf(w, "2. ByteArray.saveSnapshot(<ByteArray of %d bytes: sample.jpg>, \"jpg\")\n", len(sampleJPEG))
	res, err := uploadStream(ctx, cl, "ByteArray.saveSnapshot", bytes.NewReader(sampleJPEG), int64(len(sampleJPEG)), []any{"jpg"}, nil, nil)
	if err != nil {
		return fmt.Errorf("demo: saveSnapshot: %w", err)
	}
	fmt.Fprintf(w, "   -> %s\n\n", js(res))

	fmt.Fprintf(w, "3. getSnapshots()\n")
	list, err = client.ListSnapshots(ctx, cl, url)
	if err != nil {
		return fmt.Errorf("demo: getSnapshots: %w", err)
	}
	fmt.Fprintf(w, "   %d snapshot(s):\n", len(list.Items))
	for _, it := range list.Items {
		fmt.Fprintf(w, "   %s  %s\n", it.Name, it.URL)
	}
	if len(list.Items) != 1 {
		return fmt.Errorf("demo: the gateway lists %d snapshots after one upload, want 1", len(list.Items))
	}
	fmt.Fprintln(w)

	it := &list.Items[0]
	fmt.Fprintf(w, "4. GET %s\n", it.URL)
	var notes bytes.Buffer
	dl := &client.Downloader{Dir: downloadDir, Gateway: url, Config: &client.Config{Timeout: 30 * time.Second}, Total: client.MaxDownload,
		Say: func(f string, a ...any) { fmt.Fprintf(&notes, f, a...) }}
	if err := dl.Run(ctx, list.Items); err != nil {
		return fmt.Errorf("demo: download: %w", err)
	}
	got, err := os.ReadFile(it.File)
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if !bytes.Equal(got, sampleJPEG) {
		return fmt.Errorf("demo: the downloaded image (%d bytes) differs from the one uploaded (%d bytes)", len(got), len(sampleJPEG))
	}
	fmt.Fprintf(w, "   %d bytes, identical to the uploaded image\n\n", len(got))
	// Each line runs as printed on a fresh machine: the upload's image
	// was "photo.jpg", a file of the reader's that may not exist.
	fmt.Fprintf(w, "The ByteArray example works end to end. Try it yourself: run the first\n"+
		"line in one terminal, the others in another (any JPEG or PNG of yours\n"+
		"will do in place of sample.jpg):\n"+
		"  amfcall serve\n"+
		"  amfcall demo --sample sample.jpg\n"+
		"  amfcall upload http://127.0.0.1:8000/ ByteArray.saveSnapshot sample.jpg\n"+
		"  amfcall snapshots http://127.0.0.1:8000/\n")
	return nil
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, x := range s {
		out[i] = x
	}
	return out
}
