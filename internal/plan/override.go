package plan

import "strings"

// Overrides are command-line flags; set ones replace the plan's values, so a
// one-off run needs no plan file at all.
type Overrides struct {
	Source        string // server name or sqlserver:// DSN
	User          string
	PasswordEnv   string
	Storage       string // container URL (with or without SAS) or local/UNC path
	TargetKind    string
	TargetVersion string
	Mode          string
	Method        string
	Databases     []string
}

// Apply overrides p with the set flags. --database replaces the plan's list,
// keeping the plan's settings for databases it already names.
func (p *Plan) Apply(o Overrides) {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&p.Source.Server, o.Source)
	set(&p.Source.User, o.User)
	set(&p.Source.PasswordEnv, o.PasswordEnv)
	set(&p.Storage.Location, o.Storage)
	set(&p.Target.Kind, o.TargetKind)
	set(&p.Target.Version, o.TargetVersion)
	set(&p.Mode, o.Mode)
	set(&p.Method, o.Method)
	if len(o.Databases) > 0 {
		var dbs []Database
		for _, name := range o.Databases {
			d := Database{Name: name}
			for _, pd := range p.Databases {
				if strings.EqualFold(pd.Name, name) {
					d = pd
				}
			}
			dbs = append(dbs, d)
		}
		p.Databases = dbs
	}
}
