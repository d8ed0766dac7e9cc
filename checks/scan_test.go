package checks

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestScansAreCounted: every loop in the checks over all the files of the
// storage or all the rows of the backup history goes through scan or
// scanHistory, so that TestChecksLinear counts it (a loop that bypassed
// them could walk every file once per database unseen).
func TestScansAreCounted(t *testing.T) {
	paths, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	// What names the storage or the source server in the checks' code.
	owner := regexp.MustCompile(`^(st|srv)$|(^|\.)(Storage|Server)$`)
	fset := token.NewFileSet()
	for _, p := range paths {
		if strings.HasSuffix(p, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, p, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		whole := func(e ast.Expr) bool {
			sel, ok := e.(*ast.SelectorExpr)
			return ok && (sel.Sel.Name == "Files" || sel.Sel.Name == "BackupHistory") && owner.MatchString(types.ExprString(sel.X))
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				// The two counted walks themselves.
				return n.Name.Name != "scan" && n.Name.Name != "scanHistory"
			case *ast.RangeStmt:
				if whole(n.X) {
					t.Errorf("%s: range over %s: walk it with scan or scanHistory", fset.Position(n.Pos()), types.ExprString(n.X))
				}
			case *ast.ForStmt:
				if n.Cond != nil {
					ast.Inspect(n.Cond, func(c ast.Node) bool {
						if e, ok := c.(ast.Expr); ok && whole(e) {
							t.Errorf("%s: loop over %s: walk it with scan or scanHistory", fset.Position(n.Pos()), types.ExprString(e))
						}
						return true
					})
				}
			}
			return true
		})
	}
}
