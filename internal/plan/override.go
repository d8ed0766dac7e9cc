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
	// Azure Resource Manager (the plan's azure section).
	AzureSubscription   string
	AzureResourceGroup  string
	AzureTarget         string
	AzureStorageAccount string
	AzureDMS            string
	AzureAuth           string
	// Via names where a value came from when that was not its flag, keyed
	// by the flag ("--mode" -> "DMSREADY_MODE"), so errors name it.
	Via map[string]string
}

// Apply overrides p with the set flags. --database replaces the plan's list,
// keeping the plan's settings for databases it already names.
func (p *Document) Apply(o Overrides) {
	set := func(dst *string, v string, keyPos *map[string]Pos, key, flag string) {
		if n := o.Via[flag]; n != "" {
			flag = n
		}
		if v != "" {
			*dst = v
			if *keyPos == nil {
				*keyPos = map[string]Pos{}
			}
			(*keyPos)[key] = Pos{Flag: flag}
		}
	}
	set(&p.Source.Server, o.Source, &p.Source.KeyPos, "server", "--source")
	set(&p.Source.User, o.User, &p.Source.KeyPos, "user", "--user")
	set(&p.Source.PasswordEnv, o.PasswordEnv, &p.Source.KeyPos, "passwordEnv", "--password-env")
	set(&p.Storage.Location, o.Storage, &p.Storage.KeyPos, "location", "--storage")
	set(&p.Target.Kind, o.TargetKind, &p.Target.KeyPos, "kind", "--target-kind")
	set(&p.Target.Version, o.TargetVersion, &p.Target.KeyPos, "version", "--target-version")
	set(&p.Mode, o.Mode, &p.KeyPos, "mode", "--mode")
	set(&p.Method, o.Method, &p.KeyPos, "method", "--method")
	a := &p.Azure
	set(&a.Subscription, o.AzureSubscription, &a.KeyPos, "subscription", "--azure-subscription")
	set(&a.ResourceGroup, o.AzureResourceGroup, &a.KeyPos, "resourceGroup", "--azure-resource-group")
	set(&a.Target, o.AzureTarget, &a.KeyPos, "target", "--azure-target")
	set(&a.StorageAccount, o.AzureStorageAccount, &a.KeyPos, "storageAccount", "--azure-storage-account")
	set(&a.DMS, o.AzureDMS, &a.KeyPos, "dms", "--azure-dms")
	set(&a.Auth, o.AzureAuth, &a.KeyPos, "auth", "--azure-auth")
	if len(o.Databases) > 0 {
		flag := "--database"
		if n := o.Via[flag]; n != "" {
			flag = n
		}
		var dbs []Database
		for _, name := range o.Databases {
			d := Database{Name: name}
			for _, pd := range p.Databases {
				if strings.EqualFold(pd.Name, name) {
					d = pd
				}
			}
			// The name came from the flag: its errors name the flag; the
			// plan's other keys for it keep their lines.
			kp := map[string]Pos{"name": {Flag: flag}}
			for k, v := range d.KeyPos {
				if k != "name" {
					kp[k] = v
				}
			}
			d.KeyPos = kp
			dbs = append(dbs, d)
		}
		p.Databases = dbs
	}
}
