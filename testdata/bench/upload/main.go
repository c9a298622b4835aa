// Command upload measures "amfcall upload" against "curl -T" of the same
// file to the same loopback sink: wall time and maximum resident set size
// (from /usr/bin/time -v) of each, over interleaved runs, and the ratio of
// the medians. The sink runs in this process: an HTTP server on
// 127.0.0.1 that reads and discards every request body and answers an
// AMF packet with a null result, so that the upload succeeds.
//
//	go build -o /tmp/amfcall . && go run ./testdata/bench/upload -amfcall /tmp/amfcall
//
// Flags: -size (MiB, default 200), -runs (default 5), -file (reuse a file
// instead of writing a temporary one), -sink (only serve, print the URL).
// See README.md for the figures measured.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/amfcall/amfcall/amf"
)

func main() {
	bin := flag.String("amfcall", "amfcall", "the amfcall binary to measure")
	before := flag.String("before", "", "another amfcall binary (an older build) to measure in the same runs")
	sizeMiB := flag.Int("size", 200, "file size in MiB")
	runs := flag.Int("runs", 5, "runs of each tool, interleaved")
	file := flag.String("file", "", "upload this file instead of a temporary one")
	sinkOnly := flag.Bool("sink", false, "only run the sink and print its URL")
	flag.Parse()

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	url := "http://" + ln.Addr().String() + "/"
	reply, err := amf.MarshalPacket(&amf.Packet{Messages: []amf.Message{{Target: "/1/onResult", Response: "null", Value: nil}}})
	check(err)
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		if n != r.ContentLength {
			http.Error(w, "short body", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/x-amf")
		w.Write(reply)
	}))
	if *sinkOnly {
		fmt.Println(url)
		select {}
	}

	path := *file
	if path == "" {
		dir, err := os.MkdirTemp("", "amfcall-upload-bench-")
		check(err)
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "data.bin")
		f, err := os.Create(path)
		check(err)
		// Random bytes: nothing on the way may compress them.
		rng := rand.NewChaCha8([32]byte{1})
		_, err = io.CopyN(f, rng, int64(*sizeMiB)<<20)
		check(err)
		check(f.Close())
	}
	st, err := os.Stat(path)
	check(err)
	fmt.Printf("file %s, %d bytes; sink %s; %d runs each\n\n", path, st.Size(), url, *runs)

	tools := []struct {
		name string
		argv []string
	}{
		{"curl -T", []string{"curl", "-sS", "-o", "/dev/null", "-T", path, url}},
		{"amfcall upload", []string{*bin, "upload", "--quiet", url, "Files.store", path, `"data.bin"`}},
	}
	if *before != "" {
		tools = append(tools, struct {
			name string
			argv []string
		}{"amfcall (before)", []string{*before, "upload", "--quiet", url, "Files.store", path, `"data.bin"`}})
	}
	wall := make([][]float64, len(tools))
	cpu := make([][]float64, len(tools))
	rss := make([][]float64, len(tools))
	fmt.Printf("%-16s %4s %10s %10s %10s %10s\n", "tool", "run", "wall s", "MB/s", "CPU s", "maxRSS MB")
	for i := 0; i < *runs; i++ {
		for j, t := range tools {
			// Alternate which goes first, so neither always runs on a
			// warmer page cache or a quieter machine.
			if i%2 == 1 {
				j = len(tools) - 1 - j
				t = tools[j]
			}
			w, c, m := measure(t.argv)
			wall[j] = append(wall[j], w)
			cpu[j] = append(cpu[j], c)
			rss[j] = append(rss[j], m)
			fmt.Printf("%-16s %4d %10.3f %10.1f %10.2f %10.1f\n", t.name, i+1, w, float64(st.Size())/1e6/w, c, m)
		}
	}
	fmt.Println()
	for j, t := range tools {
		fmt.Printf("%-16s median wall %.3f s (%.1f MB/s), CPU %.2f s, max RSS %.1f MB\n",
			t.name, median(wall[j]), float64(st.Size())/1e6/median(wall[j]), median(cpu[j]), median(rss[j]))
	}
	fmt.Printf("\namfcall speed / curl speed = %.2f (median wall times)\n", median(wall[0])/median(wall[1]))
	if *before != "" {
		fmt.Printf("amfcall (before) speed / curl speed = %.2f\n", median(wall[0])/median(wall[2]))
	}
}

var (
	wallRE = regexp.MustCompile(`Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)`)
	rssRE  = regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`)
	userRE = regexp.MustCompile(`User time \(seconds\): (\S+)`)
	sysRE  = regexp.MustCompile(`System time \(seconds\): (\S+)`)
)

// measure runs argv under /usr/bin/time -v and returns its wall time in
// seconds (measured here, to the microsecond), its CPU time (user +
// system, seconds) and its max RSS in MB.
func measure(argv []string) (float64, float64, float64) {
	cmd := exec.Command("/usr/bin/time", append([]string{"-v"}, argv...)...)
	var stderr bytes.Buffer
	cmd.Stdout = io.Discard
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start).Seconds()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n%s", strings.Join(argv, " "), err, stderr.String())
		os.Exit(1)
	}
	m := rssRE.FindStringSubmatch(stderr.String())
	if m == nil || wallRE.FindStringSubmatch(stderr.String()) == nil {
		fmt.Fprintf(os.Stderr, "no /usr/bin/time -v figures in:\n%s", stderr.String())
		os.Exit(1)
	}
	kb, _ := strconv.ParseFloat(m[1], 64)
	var cpu float64
	for _, re := range []*regexp.Regexp{userRE, sysRE} {
		if m := re.FindStringSubmatch(stderr.String()); m != nil {
			x, _ := strconv.ParseFloat(m[1], 64)
			cpu += x
		}
	}
	return wall, cpu, kb / 1024
}

func median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
