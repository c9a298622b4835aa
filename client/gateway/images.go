package gateway

import (
	"bytes"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/amfcall/amfcall/amf"
)

// maxListed bounds the snapshots one getSnapshots reply lists.
const maxListed = 10000

// imageTypes maps the types saveSnapshot accepts to the file extension
// and the MIME type.
var imageTypes = map[string]struct{ ext, mime string }{
	"jpg":  {"jpg", "image/jpeg"},
	"jpeg": {"jpg", "image/jpeg"},
	"png":  {"png", "image/png"},
}

// mimeOf returns the MIME type of a listed image name, "" if the name is
// not one the gateway serves.
func mimeOf(name string) string {
	if !ValidName(name) {
		return ""
	}
	i := strings.LastIndexByte(name, '.')
	t, ok := imageTypes[strings.ToLower(name[i+1:])]
	if !ok {
		return ""
	}
	return t.mime
}

// ValidName reports whether name is a safe image file name: one path
// element of ASCII letters, digits, '_', '-' and '.', not starting with a
// dot, at most 128 bytes, with a jpg, jpeg or png extension in any case
// (IMG_0001.JPG, as cameras name them).
func ValidName(name string) bool {
	if name == "" || len(name) > 128 || name[0] == '.' {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.') {
			return false
		}
	}
	if strings.Contains(name, "..") {
		return false
	}
	i := strings.LastIndexByte(name, '.')
	if i <= 0 {
		return false
	}
	_, ok := imageTypes[strings.ToLower(name[i+1:])]
	return ok
}

// checkMagic reports whether data starts as an image of type ext.
func checkMagic(data []byte, ext string) bool {
	switch ext {
	case "jpg":
		return bytes.HasPrefix(data, []byte{0xFF, 0xD8, 0xFF})
	case "png":
		return bytes.HasPrefix(data, []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})
	}
	return false
}

// sniff names the image type data looks like, for messages.
func sniff(data []byte) string {
	switch {
	case checkMagic(data, "jpg"):
		return "JPEG"
	case checkMagic(data, "png"):
		return "PNG"
	case bytes.HasPrefix(data, []byte("GIF8")):
		return "GIF"
	case len(data) == 0:
		return "empty"
	}
	return "not a known image type"
}

// baseURL is the prefix of image URLs for this request.
func (g *Gateway) baseURL(r *http.Request) string {
	if g.opt.BaseURL != "" {
		return g.opt.BaseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = "localhost"
	}
	return scheme + "://" + host + "/images/"
}

// listImages returns the names of the saved images, sorted.
func (g *Gateway) listImages() ([]string, error) {
	dir, err := g.images.Open(".")
	if err != nil {
		return nil, err
	}
	defer dir.Close()
	var names []string
	for len(names) < maxListed {
		ents, err := dir.ReadDir(256)
		for _, e := range ents {
			if e.Type().IsRegular() && mimeOf(e.Name()) != "" && len(names) < maxListed {
				names = append(names, e.Name())
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	slices.Sort(names)
	return names, nil
}

// nameAlphabet is the alphabet of generated names, as PyAMF's example
// (Python's tempfile) uses.
const nameAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789_"

func randomName(ext string) string {
	var b [8]byte
	rand.Read(b[:])
	for i := range b {
		b[i] = nameAlphabet[int(b[i])%len(nameAlphabet)]
	}
	return "snapshot_" + string(b[:]) + "." + ext
}

// checkImage checks an image's type, size and first bytes, returning the
// file extension. Its errors are faults: the caller's mistakes.
func (g *Gateway) checkImage(head []byte, size int64, typ string) (string, *Fault) {
	t, ok := imageTypes[strings.ToLower(typ)]
	if !ok {
		return "", &Fault{Code: "Snapshot.UnsupportedType", Description: fmt.Sprintf("unsupported image type %q: use \"jpg\" or \"png\"", oneLine(typ, 30)), Type: "ValueError", Name: "ValueError"}
	}
	if size > g.opt.MaxUpload {
		return "", &Fault{Code: "Snapshot.TooLarge", Description: fmt.Sprintf("the image is %d bytes, over the upload limit of %s that this gateway saves", size, sizeText(g.opt.MaxUpload)), Type: "ValueError", Name: "ValueError"}
	}
	if !checkMagic(head, t.ext) {
		return "", &Fault{Code: "Snapshot.ContentMismatch", Description: fmt.Sprintf("the bytes are not a %s image (%s)", strings.ToUpper(t.ext), sniff(head)), Type: "ValueError", Name: "ValueError"}
	}
	return t.ext, nil
}

// imageStore counts what the images folder holds, so that clients
// cannot fill the disk: before, each saveSnapshot of up to --max-upload
// added a file for good, with no bound but the disk (a loop of 64 MiB
// uploads from any local process, or from the network with --addr
// beyond loopback).
type imageStore struct {
	mu    sync.Mutex
	bytes int64 // of the images there, or being saved
	files int
	limit int64 // <0: none
}

// count reads what the folder holds at start: its image files.
func (st *imageStore) count(root *os.Root, limit int64) error {
	st.limit = limit
	dir, err := root.Open(".")
	if err != nil {
		return err
	}
	defer dir.Close()
	for {
		ents, err := dir.ReadDir(256)
		for _, e := range ents {
			if !e.Type().IsRegular() || mimeOf(e.Name()) == "" {
				continue
			}
			if fi, err := e.Info(); err == nil {
				st.bytes += fi.Size()
				st.files++
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// reserve takes room for an image of size bytes, or says why there is
// none (a *Fault); release gives it back (an image not saved after all).
func (st *imageStore) reserve(size int64) (release func(), fault *Fault) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.files >= maxListed || (st.limit >= 0 && st.bytes+size > st.limit) {
		limit := "no limit of size"
		if st.limit >= 0 {
			limit = "at most " + sizeText(st.limit)
		}
		return nil, &Fault{Code: "Snapshot.StorageFull", Description: fmt.Sprintf(
			"the gateway keeps no more images: it holds %d (%s), and keeps %d images and %s", st.files, sizeText(st.bytes), maxListed, limit),
			Type: "IOError", Name: "IOError"}
	}
	st.bytes += size
	st.files++
	return func() {
		st.mu.Lock()
		st.bytes -= size
		st.files--
		st.mu.Unlock()
	}, nil
}

// saveImage checks and stores an image, returning its new name. Errors
// the caller made are *Fault.
func (g *Gateway) saveImage(data []byte, typ string) (string, error) {
	ext, fault := g.checkImage(data, int64(len(data)), typ)
	if fault != nil {
		return "", fault
	}
	release, fault := g.store.reserve(int64(len(data)))
	if fault != nil {
		return "", fault
	}
	name, err := g.writeImage(data, ext)
	if err != nil {
		release()
	}
	return name, err
}

// writeImage writes a checked image to a new file and names it.
func (g *Gateway) writeImage(data []byte, ext string) (string, error) {
	tmp, f, err := g.createPart(".save-")
	if err != nil {
		return "", err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		var name string
		if name, err = g.publish(tmp, ext); err == nil {
			return name, nil
		}
	}
	g.dropPart(tmp)
	return "", err
}

// saveStreamed checks and stores an image a streamed request wrote.
func (g *Gateway) saveStreamed(s *streamedImage, typ string) (string, error) {
	head, err := g.imageHead(s)
	if err != nil {
		return "", err
	}
	ext, fault := g.checkImage(head, s.size, typ)
	if fault != nil {
		return "", fault
	}
	// Its room was taken as it was streamed (streamSnapshot).
	name, err := g.publish(s.tmp, ext)
	s.saved = err == nil
	return name, err
}

// publish gives the finished file tmp a new snapshot name and returns
// the name; tmp is gone afterwards.
func (g *Gateway) publish(tmp, ext string) (string, error) {
	for range 8 {
		name := randomName(ext)
		// Link refuses to replace an existing file, so two uploads can
		// never end up with the same name.
		err := g.images.Link(tmp, name)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			// No hard links here (some file systems): rename, after
			// checking the name is free.
			if _, serr := g.images.Lstat(name); !errors.Is(serr, fs.ErrNotExist) {
				continue
			}
			if err := g.images.Rename(tmp, name); err != nil {
				return "", err
			}
			g.forgetPart(tmp)
			return name, nil
		}
		g.dropPart(tmp)
		return name, nil
	}
	return "", errors.New("could not find a free file name")
}

// serveImage answers GET and HEAD /images/NAME.
func (g *Gateway) serveImage(w http.ResponseWriter, r *http.Request, name string) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		g.refuse(w, r, http.StatusMethodNotAllowed, "Images are read with GET.")
		return
	}
	mime := mimeOf(name)
	if mime == "" {
		g.refuse(w, r, http.StatusNotFound, "No such image.")
		return
	}
	// Only a regular file is opened: opening a FIFO planted in the
	// folder (by anyone who can write there) waited for a writer, and
	// the request was never answered, its connection held for good.
	// A symbolic link is not served either, as getSnapshots does not
	// list one.
	if fi, err := g.images.Lstat(name); err != nil || !fi.Mode().IsRegular() {
		g.refuse(w, r, http.StatusNotFound, "No such image.")
		return
	}
	f, err := g.images.Open(name)
	if err != nil {
		g.refuse(w, r, http.StatusNotFound, "No such image.")
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		g.refuse(w, r, http.StatusNotFound, "No such image.")
		return
	}
	w.Header().Set("Content-Type", mime)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	cw := &countingWriter{ResponseWriter: w}
	http.ServeContent(cw, r, name, st.ModTime(), f)
	g.logf("%s %s /images/%s -> %s", r.RemoteAddr, r.Method, name, imageOutcome(r.Method, cw.status, cw.n, st.Size()))
}

// imageOutcome says in the log what an image request was answered: the
// bytes of a whole image, or the status and what was sent of the size
// bytes when that is not the whole image. The log said "-> SIZE bytes"
// for a 304, a 416 refusing a range, a 206 of a few bytes, a HEAD and a
// download the client broke off alike.
func imageOutcome(method string, status int, sent, size int64) string {
	if status == 0 {
		status = http.StatusOK
	}
	switch {
	case method == http.MethodHead:
		return fmt.Sprintf("%d, headers only (%d bytes)", status, size)
	case status == http.StatusOK && sent == size:
		return fmt.Sprintf("%d bytes", size)
	case status == http.StatusOK:
		return fmt.Sprintf("%d, %d of %d bytes sent (the client went away or stopped reading)", status, sent, size)
	case status == http.StatusPartialContent:
		return fmt.Sprintf("%d Partial Content, %d bytes sent of an image of %d", status, sent, size)
	}
	return fmt.Sprintf("%d %s (%d bytes)", status, http.StatusText(status), size)
}

// countingWriter keeps the status a handler wrote and counts the bytes
// of the body that reached the connection.
type countingWriter struct {
	http.ResponseWriter
	status int
	n      int64
}

func (c *countingWriter) WriteHeader(status int) {
	if c.status == 0 {
		c.status = status
	}
	c.ResponseWriter.WriteHeader(status)
}

func (c *countingWriter) Write(p []byte) (int, error) {
	if c.status == 0 {
		c.status = http.StatusOK
	}
	n, err := c.ResponseWriter.Write(p)
	c.n += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the writer below.
func (c *countingWriter) Unwrap() http.ResponseWriter { return c.ResponseWriter }

// oversizedImage returns the size of the first image a saveSnapshot call
// of req carries that is over the upload limit, 0 if none is: such a
// request is refused whole with a 413, as an over-long body is.
func (g *Gateway) oversizedImage(req *amf.Packet) int64 {
	for _, m := range req.Messages {
		args := argsOf(m.Value)
		if m.Target == "null" && isFlexMessage(m.Value) {
			// A RemotingMessage to destination ByteArray, operation
			// saveSnapshot.
			msg := flexMessage(m.Value)
			if msg.Class != amf.ClassRemotingMessage || memberString(msg, "destination") != "ByteArray" || memberString(msg, "operation") != "saveSnapshot" {
				continue
			}
			args = argsOf(member(msg, "body"))
		} else if m.Target != "ByteArray.saveSnapshot" {
			continue
		}
		if len(args) == 0 {
			continue
		}
		if b, ok := amf.Unwrap(args[0]).(*amf.ByteArray); ok && int64(len(b.Data)) > g.opt.MaxUpload {
			return int64(len(b.Data))
		}
	}
	return 0
}
