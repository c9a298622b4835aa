package commands

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/google/renameio/v2"
	"github.com/urfave/cli/v2"

	"github.com/amfcall/amfcall/amf"
	"github.com/amfcall/amfcall/client"
	"github.com/amfcall/amfcall/convert"
)

var snapshotsCommand = &cli.Command{
	Name:      "snapshots",
	Usage:     "list (and download) the snapshots of a ByteArray-example gateway",
	ArgsUsage: "URL",
	Description: `Calls getSnapshots at the gateway URL, as the PyAMF ByteArray example's
client does, and lists each snapshot's name and full URL: a table on a
terminal, a JSON array of {"name", "url"} in a pipe (--format forces
either).

--download DIR fetches each image over HTTP GET into DIR (created if
missing). A file already there with the same size is skipped; each
download is written to a temporary file and renamed, so DIR never holds a
partial image; a name that is not a plain file name (a path, "..", a
hidden file) is refused.

When the environment variable AMFCALL_URL is set, URL may be left out.

Examples:

  amfcall snapshots http://127.0.0.1:8000/
  amfcall snapshots http://127.0.0.1:8000/ | jq -r '.[].url'
  amfcall snapshots --download ./shots http://127.0.0.1:8000/`,
	Flags: append([]cli.Flag{
		&cli.StringFlag{Name: "format", Value: "auto", Category: catOutput,
			Usage: "list as `FORMAT`: table, json, or auto (a table on a terminal, JSON otherwise)"},
		&cli.StringFlag{Name: "download", Category: catOutput, TakesFile: true,
			Usage: "download the images into `DIR`, skipping files of the same size already there"},
		&cli.StringFlag{Name: "max-download", Category: catOutput, Value: "1G",
			Usage: "stop downloading once the images total `SIZE` bytes (K, M, G suffixes)"},
	}, pickFlags(callCommand.Flags, "amf3", "user", "header", "user-agent", "referer",
		"timeout", "connect-timeout", "idle-timeout", "insecure", "cacert", "proxy", "location-trusted",
		"max-response-size", "verbose")...),
	Action: runSnapshots,
}

// maxDownload bounds one downloaded image; --max-download bounds them
// all.
const maxDownload = 1 << 30

// snapshot is one listed image.
type snapshot struct {
	Name   string
	URL    string
	File   string // where --download put it
	Status string // downloaded, skipped, refused, failed: ...
}

// snapshotList is what getSnapshots returned.
type snapshotList struct {
	BaseURL string
	Types   []string
	Items   []snapshot
}

func runSnapshots(c *cli.Context) error {
	setColor(c)
	// URL may be left out when AMFCALL_URL is set, as for call and upload.
	env := envOf(c).getenv("AMFCALL_URL")
	minArgs := 1
	if env != "" {
		minArgs = 0
	}
	if err := checkArgs(c, minArgs, 1, "URL"); err != nil {
		if c.NArg() == 0 {
			return withHint(err, "AMFCALL_URL gives a default gateway URL")
		}
		return err
	}
	format := c.String("format")
	switch format {
	case "auto", "table", "json":
	default:
		return usageErrorf("invalid --format %q", format).hint("use --format table, --format json or --format auto")
	}
	maxTotal, err := parseSize(c.String("max-download"))
	if err != nil {
		return usageErrorf("--max-download: %v", err).hint("give a byte count such as 500M or 2G")
	}
	gw := c.Args().First()
	if gw == "" {
		gw = env
	}
	cl, cfg, err := snapshotsClient(c, gw)
	if err != nil {
		return err
	}
	e := envOf(c)
	list, err := listSnapshots(c.Context, cl, gw)
	if err != nil {
		return err
	}
	var dlErr error
	if dir := c.String("download"); dir != "" {
		dl := &downloader{dir: dir, gateway: gw, cfg: cfg, total: maxTotal, say: func(format string, a ...any) {
			infof(c, format, a...)
		}}
		dlErr = dl.run(c.Context, list.Items)
	}
	if format == "auto" {
		format = "json"
		if e.isTerminal(e.stdout) {
			format = "table"
		}
	}
	if format == "table" {
		err = printSnapshotTable(e.stdout, list)
		if len(list.Items) == 0 {
			infof(c, "no snapshots at %s", gw)
		}
	} else {
		err = printSnapshotJSON(c, list)
	}
	if dlErr != nil {
		return dlErr
	}
	return err
}

// snapshotsClient reads call's gateway flags that snapshots shares.
func snapshotsClient(c *cli.Context, gw string) (*client.Client, *client.Config, error) {
	conf, err := httpConfig(c)
	if err != nil {
		return nil, nil, err
	}
	cfg := &conf
	cfg.AMF3 = c.Bool("amf3")
	cfg.Events = newTrace(c, verbosity(c))
	user, err := readUser(c)
	if err != nil {
		return nil, nil, err
	}
	cl, err := newGatewayClient(gw, *cfg)
	if err != nil {
		return nil, nil, err
	}
	if user != nil {
		cl.SetCredentials(user[0], user[1])
	}
	return cl, cfg, nil
}

// listSnapshots calls getSnapshots and reads its result.
func listSnapshots(ctx context.Context, cl *client.Client, gatewayURL string) (*snapshotList, error) {
	res, err := cl.Call(ctx, "getSnapshots", []any{})
	if err != nil {
		return nil, err
	}
	return parseSnapshots(res, gatewayURL)
}

// parseSnapshots reads the ByteArray example's getSnapshots result,
// [base_url, types, ArrayCollection (or array) of {name}], resolving
// base_url against the gateway URL.
func parseSnapshots(res any, gatewayURL string) (*snapshotList, error) {
	bad := func(why string) error {
		return withCode(exitInput, fmt.Errorf("getSnapshots returned %s; the ByteArray example's gateway returns [base_url, types, [{name}, ...]]", why))
	}
	top := listOf(res)
	if top == nil || len(top) < 3 {
		return nil, bad(describeValue(res))
	}
	base, ok := amf.Unwrap(top[0]).(string)
	if !ok {
		return nil, bad("a base URL that is " + describeValue(top[0]))
	}
	gu, err := url.Parse(gatewayURL)
	if err != nil {
		return nil, usageErrorf("invalid gateway URL %q: %v", gatewayURL, err)
	}
	bu, err := gu.Parse(base)
	if err != nil || (bu.Scheme != "http" && bu.Scheme != "https") {
		return nil, bad(fmt.Sprintf("a base URL %q that is not an http(s) URL", base))
	}
	list := &snapshotList{BaseURL: bu.String()}
	for _, t := range listOf(top[1]) {
		if s, ok := amf.Unwrap(t).(string); ok {
			list.Types = append(list.Types, s)
		}
	}
	items := listOf(top[2])
	if items == nil && amf.Unwrap(top[2]) != nil {
		return nil, bad("a snapshot list that is " + describeValue(top[2]))
	}
	for i, it := range items {
		name := ""
		switch x := amf.Unwrap(it).(type) {
		case string:
			name = x
		case *amf.Object:
			v, _ := x.Get("name")
			name, _ = amf.Unwrap(v).(string)
		case *amf.ECMAArray:
			for _, m := range x.Members {
				if m.Name == "name" {
					name, _ = amf.Unwrap(m.Value).(string)
				}
			}
		}
		if name == "" {
			return nil, bad(fmt.Sprintf("snapshot %d without a name (%s)", i, describeValue(it)))
		}
		// base_url + name, as the example's client joins them; the name
		// is escaped where a URL needs it.
		u := *bu
		u.Path, u.RawPath = bu.Path+name, ""
		list.Items = append(list.Items, snapshot{Name: name, URL: u.String()})
	}
	return list, nil
}

// listOf returns the elements of an array-like value: a strict or AMF3
// array, an ArrayCollection or ArrayList, or nil.
func listOf(v any) []any {
	switch x := amf.Unwrap(v).(type) {
	case *amf.Array:
		return x.Dense
	case []any:
		return x
	case *amf.Object:
		if x.Class == amf.ClassArrayCollection || x.Class == amf.ClassArrayList {
			src, _ := x.Get("source")
			if l := listOf(src); l != nil {
				return l
			}
			return []any{}
		}
	}
	return nil
}

// describeValue names a value's kind for messages.
func describeValue(v any) string {
	switch x := amf.Unwrap(v).(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("the string %q", shorten(x, 40))
	case bool, amf.Int, float64:
		return fmt.Sprintf("the value %v", x)
	case *amf.Array:
		return fmt.Sprintf("an array of %d", len(x.Dense))
	case *amf.Object:
		if x.Class != "" {
			return "an object of class " + x.Class
		}
		return "an object"
	}
	return fmt.Sprintf("a %T", v)
}

func shorten(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}

func printSnapshotTable(w io.Writer, list *snapshotList) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	download := false
	for _, it := range list.Items {
		if it.Status != "" {
			download = true
		}
	}
	if download {
		fmt.Fprintln(tw, "NAME\tURL\tDOWNLOAD")
	} else {
		fmt.Fprintln(tw, "NAME\tURL")
	}
	for _, it := range list.Items {
		name := strings.Map(printable, it.Name)
		if download {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", name, it.URL, it.Status)
		} else {
			fmt.Fprintf(tw, "%s\t%s\n", name, it.URL)
		}
	}
	return tw.Flush()
}

// printable replaces control characters, so that a hostile name cannot
// drive the terminal.
func printable(r rune) rune {
	if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
		return '?'
	}
	return r
}

func printSnapshotJSON(c *cli.Context, list *snapshotList) error {
	e := envOf(c)
	items := make([]any, len(list.Items))
	for i, it := range list.Items {
		o := &amf.Object{Members: []amf.Member{{Name: "name", Value: it.Name}, {Name: "url", Value: it.URL}}}
		if it.File != "" {
			o.Members = append(o.Members, amf.Member{Name: "file", Value: it.File})
		}
		if it.Status != "" {
			o.Members = append(o.Members, amf.Member{Name: "status", Value: it.Status})
		}
		items[i] = o
	}
	o := &convert.Options{}
	if e.isTerminal(e.stdout) {
		o.Indent = "  "
	}
	if e.colorOn(colorMode(c), e.stdout) {
		o.Palette = convert.DefaultPalette
	}
	out, err := convert.AppendValue(nil, items, o)
	if err != nil {
		return err
	}
	out = append(out, '\n')
	_, err = e.stdout.Write(out)
	return err
}

// safeName reports whether a listed name can be a file in the download
// folder: one plain path element, not hidden, no control characters.
func safeName(name string) bool {
	if name == "" || len(name) > 255 || name[0] == '.' || name != filepath.Base(name) || !filepath.IsLocal(name) {
		return false
	}
	if strings.ContainsAny(name, `/\:`) {
		return false
	}
	for _, r := range name {
		if printable(r) != r {
			return false
		}
	}
	return true
}

// downloader fetches the listed snapshots into dir.
type downloader struct {
	dir     string
	gateway string         // the gateway URL: -H goes to its host only
	cfg     *client.Config // TLS, proxy, timeouts, headers
	total   int64          // the most to download in all
	say     func(string, ...any)
}

// run fetches each snapshot into dir, filling each item's File and
// Status. It goes on after a failure and returns an error naming how many
// failed: exit 4 if a name was refused, else 3. It stops when the total
// would pass d.total.
func (d *downloader) run(ctx context.Context, items []snapshot) error {
	if err := os.MkdirAll(d.dir, 0o755); err != nil {
		return withCode(exitUsage, fmt.Errorf("--download: %w", err)).hint("choose a folder you can write to")
	}
	root, err := os.OpenRoot(d.dir)
	if err != nil {
		return withCode(exitUsage, fmt.Errorf("--download: %w", err)).hint("choose a folder you can write to")
	}
	defer root.Close()
	hc, err := client.NewHTTPClient(*d.cfg)
	if err != nil {
		return err
	}
	gu, err := url.Parse(d.gateway)
	if err != nil {
		return usageErrorf("invalid gateway URL %q: %v", d.gateway, err)
	}
	hc.Transport = headerTransport{rt: hc.Transport, cfg: d.cfg, origin: gu}
	if d.cfg.Timeout > 0 {
		hc.Timeout = d.cfg.Timeout
	}
	left := d.total
	refused, failed, stopped := 0, 0, 0
	for i := range items {
		it := &items[i]
		if !safeName(it.Name) {
			it.Status = "refused"
			refused++
			d.say("refusing to download %q: not a plain file name, it could escape %s", it.Name, d.dir)
			continue
		}
		if left <= 0 {
			it.Status = "not downloaded: --max-download reached"
			stopped++
			continue
		}
		it.File = filepath.Join(d.dir, it.Name)
		n, skipped, err := downloadOne(ctx, hc, root, it.Name, it.URL, min(left, maxDownload))
		switch {
		case errors.Is(err, errOverLimit) && left < maxDownload:
			it.File = ""
			it.Status = "not downloaded: --max-download reached"
			stopped++
			left = 0
		case err != nil:
			it.Status = "failed: " + err.Error()
			failed++
			d.say("%s: %v", it.URL, err)
		case skipped:
			it.Status = "skipped"
			d.say("%s: skipped, %s has the same size (%d bytes)", it.Name, it.File, n)
		default:
			left -= n
			it.Status = "downloaded"
			d.say("%s: downloaded %d bytes to %s", it.Name, n, it.File)
		}
	}
	switch {
	case refused > 0:
		return withCode(exitInput, fmt.Errorf("refused %d of %d snapshot names (they would escape %s)", refused, len(items), d.dir))
	case failed > 0:
		return withCode(exitNetwork, fmt.Errorf("%d of %d downloads failed", failed, len(items)))
	case stopped > 0:
		return withCode(exitNetwork, fmt.Errorf("stopped after %d bytes: %d of %d snapshots not downloaded", d.total, stopped, len(items))).
			hint("raise --max-download to fetch them all")
	}
	return nil
}

// headerTransport adds the configured User-Agent and Referer to every
// request, and the -H headers only to the gateway's own origin (or
// everywhere with --location-trusted): a base_url the gateway returns
// may point anywhere.
type headerTransport struct {
	rt     http.RoundTripper
	cfg    *client.Config
	origin *url.URL
}

func (t headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	if t.cfg.UserAgent != "" {
		r.Header.Set("User-Agent", t.cfg.UserAgent)
	}
	if t.cfg.Referer != "" {
		r.Header.Set("Referer", t.cfg.Referer)
	}
	if !t.cfg.LocationTrusted && !client.SameOrigin(t.origin, r.URL) {
		return t.rt.RoundTrip(r)
	}
	for k, vs := range t.cfg.Header {
		if http.CanonicalHeaderKey(k) == "Host" || http.CanonicalHeaderKey(k) == "Content-Type" {
			continue
		}
		r.Header[http.CanonicalHeaderKey(k)] = vs
	}
	return t.rt.RoundTrip(r)
}

// errOverLimit is an image larger than what is left to download.
var errOverLimit = errors.New("too large")

// downloadOne GETs url into name under root, atomically. It skips the
// download when a file of the size the server announces is there.
func downloadOne(ctx context.Context, hc *http.Client, root *os.Root, name, u string, limit int64) (int64, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return 0, false, err
	}
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return 0, false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, false, fmt.Errorf("HTTP %s", resp.Status)
	}
	if resp.ContentLength > limit {
		return 0, false, fmt.Errorf("%w: the image is %d bytes, more than the %d left to download", errOverLimit, resp.ContentLength, limit)
	}
	if st, err := root.Stat(name); err == nil {
		if !st.Mode().IsRegular() {
			return 0, false, fmt.Errorf("%s exists and is not a regular file", name)
		}
		if resp.ContentLength >= 0 && st.Size() == resp.ContentLength {
			return st.Size(), true, nil
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return 0, false, err
	}
	f, err := renameio.NewPendingFile(name, renameio.WithRoot(root), renameio.WithPermissions(0o644))
	if err != nil {
		return 0, false, err
	}
	defer f.Cleanup()
	n, err := io.Copy(f, io.LimitReader(resp.Body, limit+1))
	if err == nil && n > limit {
		err = fmt.Errorf("%w: the image is more than the %d bytes left to download", errOverLimit, limit)
	}
	if err == nil && resp.ContentLength >= 0 && n != resp.ContentLength {
		err = fmt.Errorf("got %d bytes of %d", n, resp.ContentLength)
	}
	if err == nil {
		err = f.CloseAtomicallyReplace()
	}
	if err != nil {
		return 0, false, err
	}
	return n, false, nil
}
