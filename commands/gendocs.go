package commands

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/urfave/cli/v2"
)

var genDocsCommand = &cli.Command{
	Name:      "gen-docs",
	Usage:     "write the completion scripts and the man page",
	ArgsUsage: "[DIR]",
	Hidden:    true,
	Description: `Writes completions/amfcall.bash, completions/_amfcall,
completions/amfcall.fish, completions/amfcall.ps1 and doc/amfcall.1 under
DIR (default: the current directory, meant to be the source tree). A test
fails when the committed files differ from what this writes; "go test
./commands -update" rewrites them too.`,
}

func runGenDocs(c *cli.Context) error {
	setColor(c)
	if err := checkArgs(c, 0, 1, "DIR"); err != nil {
		return err
	}
	dir := c.Args().First()
	if dir == "" {
		dir = "."
	}
	return writeDocs(dir, c.App.ErrWriter)
}

// docsApp is a fresh application, not yet run (running one adds the help
// command and flags), from which the man page is generated, so that it is
// the same however it is asked for.
func docsApp() *cli.App {
	app := newApp(&runEnv{stdin: nil, stdout: io.Discard, stderr: io.Discard,
		getenv: func(string) string { return "" }, isTerminal: func(any) bool { return false }})
	app.HideVersion = false
	return app
}

// generatedDocs returns every generated file by its path in the tree.
func generatedDocs() (map[string][]byte, error) {
	files := map[string][]byte{}
	for sh, path := range map[string]string{
		"bash":       "completions/amfcall.bash",
		"zsh":        "completions/_amfcall",
		"fish":       "completions/amfcall.fish",
		"powershell": "completions/amfcall.ps1",
	} {
		s, err := completionScript(sh)
		if err != nil {
			return nil, err
		}
		files[path] = []byte(s)
	}
	man, err := docsApp().ToManWithSection(1)
	if err != nil {
		return nil, err
	}
	files["doc/amfcall.1"] = []byte(man)
	return files, nil
}

// writeDocs writes the generated files under dir, reporting each on log.
func writeDocs(dir string, log io.Writer) error {
	files, err := generatedDocs()
	if err != nil {
		return err
	}
	paths := make([]string, 0, len(files))
	for p := range files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	for _, p := range paths {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			return withCode(exitUsage, err)
		}
		if err := os.WriteFile(full, files[p], 0o644); err != nil {
			return withCode(exitUsage, err)
		}
		fmt.Fprintf(log, "amfcall: wrote %s\n", full)
	}
	return nil
}
