package gateway

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"strings"
)

// Partial files. An image is written to a hidden file of the images
// folder, ".upload-HEX.part" (streamed from the connection) or
// ".save-HEX.part" (a small image), then linked to its name. Such a file
// is removed whatever happens to its request, but not when the process
// ends first: a second Ctrl-C (serve then stops at once) or a crash left
// it behind, never listed nor counted, as large as what had come. The
// gateway keeps the names of its own (RemoveParts removes them, for
// serve to call before it dies), and one that starts removes those that
// no running gateway holds (removeLeftovers).

// partHexLen is the length of the random part of a partial file's name.
const partHexLen = 16

// createPart makes a new partial file, its name starting with prefix,
// and remembers it.
func (g *Gateway) createPart(prefix string) (string, *os.File, error) {
	var rnd [partHexLen / 2]byte
	rand.Read(rnd[:])
	name := prefix + hex.EncodeToString(rnd[:]) + ".part"
	g.partsMu.Lock()
	defer g.partsMu.Unlock()
	f, err := g.images.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", nil, err
	}
	if g.parts == nil {
		g.parts = map[string]*os.File{}
	}
	g.parts[name] = f
	return name, f, nil
}

// dropPart removes a partial file and forgets it.
func (g *Gateway) dropPart(name string) {
	g.partsMu.Lock()
	defer g.partsMu.Unlock()
	g.images.Remove(name)
	delete(g.parts, name)
}

// forgetPart forgets a partial file that has become an image.
func (g *Gateway) forgetPart(name string) {
	g.partsMu.Lock()
	defer g.partsMu.Unlock()
	delete(g.parts, name)
}

// RemoveParts removes the partial files of the uploads under way, for
// a process about to end before they do (serve on a second Ctrl-C), and
// returns how many it removed. Uploads still running then fail. Each
// file is closed first: Windows removes no file that is open (closing
// one already closed by its writer does nothing).
func (g *Gateway) RemoveParts() int {
	g.partsMu.Lock()
	defer g.partsMu.Unlock()
	n := 0
	for name, f := range g.parts {
		f.Close()
		if g.images.Remove(name) == nil {
			n++
		}
		delete(g.parts, name)
	}
	return n
}

// isPartName reports whether name is one a gateway gives its partial
// files: ".upload-" or ".save-", 16 lower-case hex digits, ".part".
// Nothing else is ever removed as a leftover.
func isPartName(name string) bool {
	rest, ok := strings.CutPrefix(name, ".upload-")
	if !ok {
		if rest, ok = strings.CutPrefix(name, ".save-"); !ok {
			return false
		}
	}
	hexPart, ok := strings.CutSuffix(rest, ".part")
	if !ok || len(hexPart) != partHexLen {
		return false
	}
	for _, c := range hexPart {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// removeLeftovers removes the partial files that a gateway which ended
// before its uploads left in the folder, and logs what it removed. It is
// called with the folder locked for this gateway alone (lockFolder):
// every running gateway holds the folder's lock, so none of those files
// is one being written. Only regular files with a partial file's name
// are removed.
func (g *Gateway) removeLeftovers() {
	dir, err := g.images.Open(".")
	if err != nil {
		return
	}
	defer dir.Close()
	var names []string
	var size int64
	for {
		ents, err := dir.ReadDir(256)
		for _, e := range ents {
			if !isPartName(e.Name()) || !e.Type().IsRegular() {
				continue
			}
			fi, err := g.images.Lstat(e.Name())
			if err != nil || !fi.Mode().IsRegular() {
				continue
			}
			if g.images.Remove(e.Name()) == nil {
				names = append(names, e.Name())
				size += fi.Size()
			}
		}
		if err != nil {
			if err != io.EOF {
				g.logf("looking for partial uploads left in %s: %v", g.opt.ImagesDir, err)
			}
			break
		}
	}
	if len(names) == 0 {
		return
	}
	what := fmt.Sprintf("%d partial uploads", len(names))
	if len(names) == 1 {
		what = "1 partial upload"
	}
	shown := names[:min(len(names), 3)]
	more := ""
	if len(names) > len(shown) {
		more = fmt.Sprintf(" and %d more", len(names)-len(shown))
	}
	g.logf("removed %s (%s) left in %s by a gateway that stopped before they ended: %s%s", what, sizeText(size), g.opt.ImagesDir, strings.Join(shown, ", "), more)
}
