package commands

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"text/tabwriter"

	"github.com/tidwall/gjson"
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
either; --pretty or --compact ask for JSON, indented or on one line). A
fault is printed as JSON on stdout and as one line on stderr (exit 1),
as call prints it.

-q PATH prints only the part of that JSON at the gjson PATH (0.url,
#.name, #(name=="a.jpg").url), and -r prints a string without its JSON
quotes and an array of strings one a line (-q '#.url' -r lists the URLs
as jq -r '.[].url' does), as call's -q and -r do; either asks for JSON.
A fault is printed whole.

--download DIR fetches each image over HTTP GET into DIR (created if
missing). A file that is already in DIR is never replaced: its snapshot
is skipped with a warning (remove the file, or download into another
folder, to fetch it). Each download is written to a temporary file and
given its name only then, so DIR never holds a partial image. Only plain
image file names are downloaded: one file name (no path, "..", hidden
file or leading "-") of letters, digits, spaces and -_.,+()@~, ending in
a type the gateway announces that is an image type (jpg, jpeg, png,
gif, bmp, webp, tif, tiff, ico, avif; any of those when it announces
none); other names are refused. One image may be at most 1 GiB;
--max-download bounds them all.

When the environment variable AMFCALL_URL is set, URL may be left out.

Examples:

  amfcall snapshots http://127.0.0.1:8000/
  amfcall snapshots http://127.0.0.1:8000/ | jq -r '.[].url'
  amfcall snapshots -q '#.url' -r http://127.0.0.1:8000/
  amfcall snapshots --download ./shots http://127.0.0.1:8000/`,
	Flags: append([]cli.Flag{
		&cli.StringFlag{Name: "format", Value: "auto", Category: catOutput,
			Usage: "list as `FORMAT`: table (or text, as list, describe and probe have it), json, or auto (a table on a terminal, JSON otherwise)"},
		&cli.StringFlag{Name: "download", Category: catOutput, TakesFile: true,
			Usage: "download the images into `DIR` (created if missing), never replacing a file already there"},
		&cli.StringFlag{Name: "max-download", Category: catOutput, Value: "1G",
			Usage: "stop downloading once the images total `SIZE` bytes (K, M, G suffixes); those left are said in a warning, not an error. One image may be at most 1 GiB whatever SIZE is"},
		&cli.StringFlag{Name: "query", Aliases: []string{"q"}, Category: catOutput,
			Usage: "print only the part of the JSON list at gjson `PATH` (e.g. 0.url, #.name; a path that matches nothing prints null); a fault is printed whole (exit 1)"},
		&cli.BoolFlag{Name: "raw", Aliases: []string{"r"}, Category: catOutput, DisableDefaultText: true,
			Usage: "print a string as raw text, without JSON quotes, and an array of strings one string a line, as jq -r '.[]' does (an empty array prints nothing; -q '#.url' -r: one URL a line); anything else stays JSON; on a terminal, control characters are escaped"},
	}, pickFlags(callCommand.Flags, "amf3", "user", "header", "user-agent", "referer",
		"timeout", "connect-timeout", "idle-timeout", "insecure", "cacert", "proxy", "location-trusted",
		"max-response-size", "verbose", "pretty", "compact")...),
	Action: runSnapshots,
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
	// text is table's other name: the word of list, describe and
	// probe (their --format text), taken here too so that one spelling
	// works in all four.
	format, said := c.String("format"), c.String("format")
	switch format {
	case "auto", "table", "json":
	case "text":
		format = "table"
	default:
		return usageErrorf("invalid --format %q", format).hint("use --format table (or text), --format json or --format auto")
	}
	if c.Bool("pretty") && c.Bool("compact") {
		return usageErrorf("--pretty can't be used with --compact")
	}
	if (c.Bool("pretty") || c.Bool("compact")) && format == "table" {
		return usageErrorf("--pretty and --compact lay out JSON, not --format %s", said)
	}
	// -q and -r select from the JSON list, as call's select from the
	// result.
	sel := &callSettings{query: c.String("query"), querySet: c.IsSet("query"), raw: c.Bool("raw")}
	if (sel.querySet || sel.raw) && format == "table" {
		return usageErrorf("-q and -r select from the JSON list, not --format %s", said).
			hint("drop --format " + said + ", or give --format json")
	}
	if sel.querySet {
		if why := badQuery(sel.query); why != "" {
			return usageErrorf("-q %q: %s", sel.query, why).hint("write a gjson path such as 0.url or #.name")
		}
	}
	maxTotal, err := parseSize(c.String("max-download"))
	if err != nil {
		return usageErrorf("--max-download: %v", err).hint("give a byte count such as 500M or 2G")
	}
	// DIR is checked before any request: a file or an unreadable path
	// is the user's mistake, and nothing is printed then.
	// The nearest part of DIR that exists must be a folder: Windows
	// reports FILE\sub as missing, where Unix says "not a directory".
	if dir := c.String("download"); dir == "-" {
		// Not stdout (which carries the listing): it made a folder "-".
		return usageErrorf("--download needs a folder, not -").hint("give a folder to download into, e.g. --download ./shots")
	} else if dir != "" {
		for p := dir; ; {
			st, err := os.Stat(p)
			if err == nil && !st.IsDir() {
				return usageErrorf("--download %s: not a directory", dir).hint("give a folder to download into (created if missing)")
			} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
				return usageErrorf("--download %s: %v", dir, unwrapPath(err)).hint("give a folder you can write to (created if missing)")
			}
			if err == nil && p == dir {
				// DIR is there: it must take files. A read-only folder
				// failed each image on its own ("openat
				// .amfcall-download-123.part: permission denied", once
				// an image) after the listing, and exited 3 as if the
				// network had failed.
				if werr := canWriteIn(dir); werr != nil {
					return usageErrorf("--download %s: cannot create a file there: %v", dir, unwrapPath(werr)).hint("give a folder you can write to (created if missing)")
				}
			}
			parent := filepath.Dir(p)
			if err == nil || parent == p {
				break
			}
			p = parent
		}
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
	list, err := client.ListSnapshots(c.Context, cl, gw)
	var fault *client.Fault
	if errors.As(err, &fault) {
		// cli.md: a fault is printed as JSON on stdout too (it was on
		// stderr only), as call prints it.
		out, opts, oerr := jsonOutput(c)
		if oerr != nil {
			return oerr
		}
		sel.rawTerminal = out.terminal()
		if oerr := printCallValue(out, opts, sel, amf.Unwrap(fault.Value), false); oerr != nil {
			return oerr
		}
		if fault.IsAuthentication() {
			return authHint(fault, c.IsSet("user"), err)
		}
		return err
	}
	if err != nil {
		return err
	}
	var dlErr error
	if dir := c.String("download"); dir != "" {
		// Ctrl-C stops the downloads through their context, so that the
		// one under way removes its temporary file (killed, the process
		// leaves it in DIR: .amfcall-download-123456789.part).
		ctx, stop := signal.NotifyContext(c.Context, os.Interrupt, syscall.SIGTERM)
		defer stop()
		dl := &client.Downloader{Dir: dir, Types: list.Types, Gateway: gw, Config: cfg, Total: maxTotal, Say: func(format string, a ...any) {
			if ctx.Err() == nil {
				infof(c, format, a...)
			}
		}, Warn: func(format string, a ...any) {
			if ctx.Err() == nil {
				warnf(c, format, a...)
			}
		}}
		dlErr = dl.Run(ctx, list.Items)
		var pe *fs.PathError
		var de *client.DownloadError
		switch {
		case errors.As(dlErr, &de) && de.Refused == 0 && de.Failed == 0 && ctx.Err() == nil:
			// The limit the user set (or its default) was reached: done
			// as asked, not a failure (cli.md has no exit code for it).
			// The JSON says "not downloaded" for each one left.
			warnf(c, "%v; raise --max-download to fetch them all", dlErr)
			dlErr = nil
		case errors.As(dlErr, &de) && de.Refused == 0 && de.Failed > 0 && de.WriteFailed == de.Failed && ctx.Err() == nil:
			// Each failed to be written (a full disk), as a full -o
			// is: exit 2, not the network's 3.
			dlErr = withCode(exitUsage, fmt.Errorf("--download %s: %w: they could not be written there", dir, dlErr)).
				hint("check that there is room in " + dir + "; the images downloaded are kept, and nothing half-written")
		case ctx.Err() != nil:
			dlErr = withCode(exitInterrupted, errors.New("interrupted: the download under way was dropped; the images downloaded before it are kept"))
		case errors.As(dlErr, &pe):
			dlErr = withCode(exitUsage, fmt.Errorf("--download: %w", dlErr)).hint("choose a folder you can write to")
		}
		stop()
	}
	if format == "auto" {
		format = "json"
		if e.isTerminal(e.stdout) && !c.Bool("pretty") && !c.Bool("compact") && !sel.querySet && !sel.raw {
			format = "table"
		}
	}
	if format == "table" {
		err = printSnapshotTable(e.stdout, list)
		if len(list.Items) == 0 {
			infof(c, "no snapshots at %s", gw)
		}
	} else {
		err = printSnapshotJSON(c, list, sel)
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
	cl, err := client.New(gw, *cfg)
	if err != nil {
		return nil, nil, gatewayURLError(c, err, gw)
	}
	if user != nil {
		cl.SetCredentials(user[0], user[1])
	}
	return cl, cfg, nil
}

func printSnapshotTable(w io.Writer, list *client.SnapshotList) error {
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
		// Everything here comes from the gateway (or its image server).
		// A relative base_url resolves against the gateway URL, whose
		// user and password (http://bob:pw@host/) the image URLs then
		// hold: they are used to fetch, never shown.
		name, u := terminalText(it.Name), terminalText(client.RedactURL(it.URL))
		if download {
			fmt.Fprintf(tw, "%s\t%s\t%s\n", name, u, terminalText(it.Status))
		} else {
			fmt.Fprintf(tw, "%s\t%s\n", name, u)
		}
	}
	return tw.Flush()
}

// printSnapshotJSON prints the list as JSON, or the part of it that -q
// selects (a string raw with -r), as sel says.
func printSnapshotJSON(c *cli.Context, list *client.SnapshotList, sel *callSettings) error {
	e := envOf(c)
	items := make([]any, len(list.Items))
	for i, it := range list.Items {
		o := &amf.Object{Members: []amf.Member{{Name: "name", Value: it.Name}, {Name: "url", Value: client.RedactURL(it.URL)}}}
		if it.File != "" {
			o.Members = append(o.Members, amf.Member{Name: "file", Value: it.File})
		}
		if it.Status != "" {
			o.Members = append(o.Members, amf.Member{Name: "status", Value: it.Status})
		}
		items[i] = o
	}
	o := &convert.Options{}
	if c.Bool("pretty") || (!c.Bool("compact") && e.isTerminal(e.stdout)) {
		o.Indent = "  "
	}
	if e.colorOn(colorMode(c), e.stdout) {
		o.Palette = convert.DefaultPalette
	}
	var out []byte
	var err error
	if sel.querySet || sel.raw {
		sel.rawTerminal = e.isTerminal(e.stdout)
		var js []byte
		if js, err = convert.AppendValue(nil, items, &convert.Options{}); err == nil {
			out = selectFrom(js, o, sel, true)
		}
	} else {
		out, err = convert.AppendValue(nil, items, o)
		out = append(out, '\n')
	}
	if err != nil {
		return err
	}
	_, err = e.stdout.Write(out)
	return err
}

// rawText is what -r prints of res, a newline after each line: a string
// as its text, and an array of strings one string a line (nothing for an
// empty one), as jq -r '.[]' prints them, so that a list of URLs or names
// can be read line by line (snapshots -q '#.url' -r). On a terminal the
// text has its control characters escaped: jq -r writes it as it is,
// which would let a gateway's escape sequences recolour, clear or
// retitle the terminal; a pipe or a file gets the bytes. Anything else
// (a number, an object, an array holding anything but strings) is not
// raw text: ok is false, and it is printed as JSON; so is an array where
// the output is one line each (oneLine: subscribe, call --batch).
func rawText(res gjson.Result, terminal, oneLine bool) (text []byte, ok bool) {
	line := func(b []byte, s string) []byte {
		if terminal {
			s = escapeControls(s)
		}
		return append(append(b, s...), '\n')
	}
	switch {
	case res.Type == gjson.String:
		return line(nil, res.String()), true
	case oneLine || !res.IsArray():
		return nil, false
	}
	ok = true
	res.ForEach(func(_, v gjson.Result) bool {
		ok = v.Type == gjson.String
		return ok
	})
	if !ok {
		return nil, false
	}
	text = []byte{}
	res.ForEach(func(_, v gjson.Result) bool {
		text = line(text, v.String())
		return true
	})
	return text, true
}
