package discover

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/amfcall/amfcall/client"
)

// BuiltinWords are common service and method names, tried by [Enumerate]
// besides those of a word list.
var BuiltinWords = []string{
	// services
	"UserService", "UsersService", "LoginService", "AuthService", "AuthenticationService",
	"AdminService", "AccountService", "DataService", "ProductService", "OrderService",
	"FileService", "UploadService", "ReportService", "SearchService", "ConfigService",
	"TestService", "EchoService", "HelloWorld", "Service", "RemoteService",
	"user", "users", "auth", "admin", "account", "data", "test", "echo", "secure", "ByteArray",
	// methods
	"login", "logout", "authenticate", "whoami", "getUser", "getUsers", "getUserById",
	"list", "get", "getAll", "find", "findAll", "search", "load", "save", "create",
	"update", "version", "getVersion", "ping", "hello", "sayHello", "getData",
	"getSnapshots", "saveSnapshot", "getConfig", "getServerTime", "fail",
}

// MaxWords bounds a word list.
const MaxWords = 100000

// maxWordLine bounds a word list's line, in bytes.
const maxWordLine = 4096

// ReadWords reads a word list: one name per line; blank lines and lines
// starting with # are skipped, and so are names with characters that no
// AMF target holds (spaces, control characters).
func ReadWords(r io.Reader) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxWordLine+2) // the line, \r\n
	tooLong := func(line int) error {
		return fmt.Errorf("line %d: longer than %d bytes, which no name is (is this a word list, one name a line?)", line, maxWordLine)
	}
	line := 0
	for sc.Scan() {
		line++
		if len(sc.Bytes()) > maxWordLine {
			return nil, tooLong(line)
		}
		w := strings.TrimSpace(sc.Text())
		if w == "" || strings.HasPrefix(w, "#") {
			continue
		}
		if strings.ContainsFunc(w, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
			continue
		}
		if len(out) == MaxWords {
			return nil, fmt.Errorf("line %d: more than %d words", line, MaxWords)
		}
		out = append(out, w)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			// It said "bufio.Scanner: token too long".
			return nil, tooLong(line + 1)
		}
		return nil, fmt.Errorf("line %d: %w", line+1, err)
	}
	return out, nil
}

// Hit is one name [Enumerate] found (or, with all set, tried).
type Hit struct {
	Target string `json:"target"`
	// Kind is "service" (the service exists: a call of an unknown method
	// did not say "no such service") or "method" (the call did not say
	// "no such method").
	Kind string `json:"kind"`
	// Answer says how the gateway answered: "result", or the fault code
	// and description.
	Answer string `json:"answer"`
}

// EnumOptions bound [Enumerate].
type EnumOptions struct {
	// Rate is the number of requests per second. Default 5.
	Rate float64
	// Max is the total number of requests. Default 500.
	Max int
	// Progress, if set, is called after each request with the number of
	// requests sent so far, Max, and the number of names found.
	Progress func(sent, max, found int)
}

// ErrBudget says that Enumerate stopped at EnumOptions.Max requests.
var ErrBudget = errors.New("stopped at the request limit")

// Enumerate finds services and methods from how the gateway answers
// calls: for each word as a service, a call of a method no service has
// tells whether the service exists (any answer but "no such service");
// then each word as a method of each service found, and as a method
// called without a service, is called without arguments and exists unless
// the answer is "no such method" or "no such service".
//
// Calls run one at a time, at most opt.Rate a second and opt.Max in all;
// each hit is passed to found as it comes. A method that takes no
// arguments does run: use this only on a gateway you may test.
func Enumerate(ctx context.Context, c *client.Client, words []string, opt EnumOptions, found func(Hit) error) error {
	if opt.Rate == 0 {
		opt.Rate = 5
	}
	if opt.Max == 0 {
		opt.Max = 500
	}
	sent, hits := 0, 0
	var last time.Time
	call := func(target string) (any, error) {
		if sent >= opt.Max {
			return nil, ErrBudget
		}
		if d := Wait(opt.Rate) - time.Since(last); !last.IsZero() && d > 0 {
			t := time.NewTimer(d)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil, ctx.Err()
			case <-t.C:
			}
		}
		last = time.Now()
		sent++
		v, err := c.Call(ctx, target, nil)
		if opt.Progress != nil {
			opt.Progress(sent, opt.Max, hits)
		}
		return v, err
	}
	report := func(h Hit) error {
		hits++
		if err := found(h); err != nil {
			return err
		}
		if opt.Progress != nil {
			opt.Progress(sent, opt.Max, hits)
		}
		return nil
	}
	answer := func(v any, err error) (FaultKind, string, error) {
		if err == nil {
			return OtherFault, "result", nil
		}
		var f *client.Fault
		if !errors.As(err, &f) {
			return 0, "", err
		}
		k, _ := ClassifyFault(f)
		return k, orDash(f.Code) + ": " + oneLine(f.Description), nil
	}
	words = dedupe(words)
	var services []string
	for _, w := range words {
		k, ans, err := answer(call(w + "." + probeMethod))
		if err != nil {
			return err
		}
		if k == NoService {
			continue
		}
		services = append(services, w)
		if err := report(Hit{Target: w, Kind: "service", Answer: ans}); err != nil {
			return err
		}
	}
	for _, svc := range append([]string{""}, services...) {
		for _, w := range words {
			target := w
			if svc != "" {
				target = svc + "." + w
			}
			k, ans, err := answer(call(target))
			if err != nil {
				return err
			}
			if k != OtherFault {
				continue
			}
			if err := report(Hit{Target: target, Kind: "method", Answer: ans}); err != nil {
				return err
			}
		}
	}
	return nil
}

// probeMethod is a method name no service has.
const probeMethod = "amfcallProbeNoSuchMethod"

func dedupe(ws []string) []string {
	seen := make(map[string]bool, len(ws))
	out := ws[:0:0]
	for _, w := range ws {
		if !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}
