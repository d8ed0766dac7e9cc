package check

import (
	"strings"
	"testing"
	"time"

	"github.com/dmsready/dmsready/checks/facts"
)

func testCheck(id string, needs []facts.Source, run func(p *Pass)) *Check {
	return &Check{ID: id, Title: "t " + id, Severity: Error, Needs: needs, Prevents: "x", Doc: "d", Fix: "f", Link: "https://example.invalid", Basis: Own("test"), Run: run}
}

func TestRunStatuses(t *testing.T) {
	f := &facts.Facts{Plan: facts.ResolvedPlan{Target: facts.PlanTarget{Kind: facts.KindMI}}}
	f.AddError(facts.SourceError{Source: facts.SrcServer, Kind: "permission", Message: "denied", Permission: "VIEW SERVER STATE"})
	ran := false
	all := []*Check{
		testCheck("DMS001", []facts.Source{facts.SrcPlan}, func(p *Pass) { p.Fail("Sales", "database:Sales", "bad", Ev{"k": "v"}) }),
		testCheck("DMS002", []facts.Source{facts.SrcBackupHistory}, func(p *Pass) { ran = true }),
		testCheck("DMS003", []facts.Source{facts.SrcStorage}, func(p *Pass) { ran = true }),
		testCheck("DMS004", []facts.Source{facts.SrcPlan}, func(p *Pass) { panic("a check that crashes") }),
		testCheck("DMS005", []facts.Source{facts.SrcPlan}, func(p *Pass) {}),
		testCheck("DMS006", []facts.Source{facts.SrcPlan}, func(p *Pass) { p.Warn("", "server", "meh", nil); p.Pass("", "a", "ok", nil) }),
	}
	all[4].Targets = Targets{facts.KindDB}
	fs := Run(all, f)
	if ran {
		t.Error("a check ran although its facts were missing or failed")
	}
	var got []string
	for _, x := range fs {
		got = append(got, x.CheckID+" "+string(x.Status)+" "+string(x.Severity))
	}
	want := "DMS001 fail error|DMS002 error |DMS003 skip |DMS004 error |DMS005 skip |DMS006 pass |DMS006 warn warning"
	if strings.Join(got, "|") != want {
		t.Fatalf("got  %s\nwant %s", strings.Join(got, "|"), want)
	}
	if !strings.Contains(fs[1].Message, "VIEW SERVER STATE") || fs[1].Evidence["permission"] != "VIEW SERVER STATE" {
		t.Errorf("error finding does not name the permission: %+v", fs[1])
	}
	if !strings.Contains(fs[3].Message, "crashed") {
		t.Errorf("panicking check: %+v", fs[3])
	}
	if !strings.Contains(fs[4].Message, "sqlmi") {
		t.Errorf("kind skip: %+v", fs[4])
	}
}

func TestValidateRegistry(t *testing.T) {
	ok := testCheck("DMS001", []facts.Source{facts.SrcPlan}, func(*Pass) {})
	ok2 := testCheck("DMS002", []facts.Source{facts.SrcPlan}, func(*Pass) {})
	if err := Validate([]*Check{ok, ok2}); err != nil {
		t.Fatal(err)
	}
	if err := Validate([]*Check{ok2, ok}); err == nil {
		t.Error("unsorted registry accepted")
	}
	if err := Validate([]*Check{ok, ok}); err == nil {
		t.Error("duplicate IDs accepted")
	}
	bad := *ok
	bad.ID = "DMS1"
	if err := Validate([]*Check{&bad}); err == nil {
		t.Error("bad ID accepted")
	}
	nodoc := *ok
	nodoc.Doc = ""
	if err := Validate([]*Check{&nodoc}); err == nil {
		t.Error("check without docs accepted")
	}
}

func TestWaivers(t *testing.T) {
	fs := []Finding{
		{CheckID: "DMS201", Status: StatusFail, Severity: Error, Object: "file:legacy/a.bak"},
		{CheckID: "DMS201", Status: StatusFail, Severity: Error, Object: "file:sales/a.bak"},
		{CheckID: "DMS202", Status: StatusFail, Severity: Error, Object: "folder:x"},
		{CheckID: "DMS201", Status: StatusPass, Object: "file:legacy/b.bak"},
	}
	ws := []Waiver{
		{Check: "DMS201", Object: "file:legacy/*", Reason: "accepted", Expires: "2026-12-31"},
		{Check: "DMS202", Object: "*", Reason: "old", Expires: "2026-01-01"},
		{Check: "DMS999", Reason: "nothing"},
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	uses := ApplyWaivers(fs, ws, now)
	if fs[0].Waiver == nil || fs[0].Waiver.Reason != "accepted" {
		t.Errorf("matching finding not waived: %+v", fs[0])
	}
	if fs[1].Waiver != nil || fs[2].Waiver != nil || fs[3].Waiver != nil {
		t.Errorf("waived too much: %+v", fs)
	}
	if fs[0].Blocking(Error) || !fs[1].Blocking(Error) {
		t.Error("blocking does not honour waivers")
	}
	if uses[0].Matched != 1 || uses[0].Expired || uses[0].Unused {
		t.Errorf("use 0 = %+v", uses[0])
	}
	if !uses[1].Expired || uses[1].Matched != 1 {
		t.Errorf("expired waiver = %+v", uses[1])
	}
	if !uses[2].Unused {
		t.Errorf("unused waiver = %+v", uses[2])
	}
	// The expiry day itself still counts.
	if expired(Waiver{Expires: "2026-11-25"}, now) {
		t.Error("waiver expired on its last day")
	}
}

func TestBlockingThreshold(t *testing.T) {
	w := Finding{Status: StatusWarn, Severity: Warning}
	if w.Blocking(Error) || !w.Blocking(Warning) {
		t.Error("warning threshold")
	}
	if (Finding{Status: StatusPass}).Blocking(Info) {
		t.Error("a pass blocks")
	}
}

func TestDerivedComputedOncePerRun(t *testing.T) {
	n := 0
	use := func(p *Pass) {
		v := p.Derived("k", func(*facts.Facts) any { n++; return 42 }).(int)
		p.Pass("", "x", "v", Ev{"v": string(rune('0' + v%10))})
	}
	all := []*Check{testCheck("DMS001", []facts.Source{facts.SrcPlan}, use), testCheck("DMS002", []facts.Source{facts.SrcPlan}, use)}
	Run(all, &facts.Facts{})
	Run(all, &facts.Facts{})
	if n != 2 {
		t.Errorf("computed %d times over two runs of two checks, want 2", n)
	}
}

// A skip for facts the plan never asked for says what to give, not just
// "not collected".
func TestSkipSaysWhatThePlanLacks(t *testing.T) {
	f := &facts.Facts{Plan: facts.ResolvedPlan{Target: facts.PlanTarget{Kind: facts.KindMI}}}
	all := []*Check{
		testCheck("DMS001", []facts.Source{facts.SrcDatabases}, func(p *Pass) {}),
		testCheck("DMS002", []facts.Source{facts.SrcStorage, facts.SrcBackups}, func(p *Pass) {}),
		testCheck("DMS003", []facts.Source{facts.SrcTarget}, func(p *Pass) {}),
	}
	fs := Run(all, f)
	for i, want := range []string{"--source", "--storage", "target.server"} {
		if fs[i].Status != StatusSkip || !strings.Contains(fs[i].Message, want) {
			t.Errorf("%s: %q, want a skip naming %s", fs[i].CheckID, fs[i].Message, want)
		}
	}
	// Asked for but absent (e.g. a facts file cut short): no hint.
	f.Plan.Source.Server = "sql01"
	if fs := Run(all[:1], f); strings.Contains(fs[0].Message, "--source") {
		t.Errorf("hint although the plan names a server: %q", fs[0].Message)
	}
}
