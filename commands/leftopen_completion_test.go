package commands

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/amfcall/amfcall/amf"
)

// Method names with C1 controls or bidi and other format characters
// (a gateway's listing chose them) were offered by completion: the
// scripts drop shell metacharacters only, and the cache's filter dropped
// C0 controls and DEL. A name with U+202E shows reversed on the command
// line, one with U+009B can be read as a CSI by a terminal. They are
// dropped now; a printable non-ASCII name is still offered.
func TestCompletionDropsC1AndBidiNames(t *testing.T) {
	t.Parallel()
	bin, files := completionDirs(t)
	methods := []string{"ok", "é-ü_1", "nel\u0085x", "csi\u009b31m", "rlo\u202egpj.exe", "lri\u2066x", "lrm\u200ex",
		"alm\u061cx", "zwj\u200dx", "bom\ufeffx", "ls\u2028x", "nbsp\u00a0x"}
	url, _ := snapshotGateway(t, func(string) any {
		return []any{&amf.Object{Members: []amf.Member{{Name: "name", Value: "svc"}, {Name: "methods", Value: names(methods...)}}}}
	}, nil)
	cache := "XDG_CACHE_HOME=" + t.TempDir()
	env := append(os.Environ(), "AMFCALL_TEST_AS_AMFCALL=1", "HOME="+files, cache)
	list := exec.Command(filepath.Join(bin, "amfcall"), "list", url)
	list.Env = env
	if out, err := list.CombinedOutput(); err != nil || string(out) != "svc\n" {
		t.Fatalf("amfcall list: %v\n%s", err, out)
	}
	comp := exec.Command(filepath.Join(bin, "amfcall"), "call", url, "svc.", "--generate-bash-completion")
	comp.Env = env
	out, err := comp.Output()
	if got, want := string(out), "svc.ok\nsvc.é-ü_1\n"; err != nil || got != want {
		t.Errorf("candidates %q (%v), want %q", got, err, want)
	}
}
