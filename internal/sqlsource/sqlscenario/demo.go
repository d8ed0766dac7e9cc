package sqlscenario

// Demo2016 is the source server of `make demo`: SQL2016\PROD, a SQL Server
// 2016 SP2 instance whose catalog and msdb history match the backups in
// fixtures/demo/backups. Sales's missing log backup went to NUL (a
// maintenance job), HR is TDE-encrypted by a certificate whose private key
// was never backed up and its full backup has no checksums, Inventory is in
// an availability group, Payroll (not planned) is in SIMPLE recovery;
// logins and Agent jobs DMS does not move.
func Demo2016() Server {
	const tde = "3C5A0F29D1B84E7A9B6C1D2E3F405162738495A6"
	full := func(id int, at string, first, last, ckpt [2]int, sums bool, dev string) []any {
		return Backup(id, "D", At(at), LSN(first[0], first[1], 1), LSN(last[0], last[1], 1), LSN(ckpt[0], ckpt[1], 1), "0", sums, false, dev)
	}
	other := func(id int, typ, at string, first, last, ckpt, dbl [2]int, dev string) []any {
		return Backup(id, typ, At(at), LSN(first[0], first[1], 1), LSN(last[0], last[1], 1), LSN(ckpt[0], ckpt[1], 1), LSN(dbl[0], dbl[1], 1), true, false, dev)
	}
	const share = `\\backup01\sql\`
	return Server{
		Name: `SQL2016\PROD`, Version: "13.0.5026.0", Major: 13,
		DBs: []DB{
			{ID: 5, Name: "Sales", State: "ONLINE", Recovery: "FULL", Compat: 130, Containment: "NONE",
				Files:  [][]any{{1, "ROWS", "Sales", `D:\data\Sales.mdf`, int64(256000)}, {2, "LOG", "Sales_log", `L:\log\Sales_log.ldf`, int64(32000)}},
				Tables: []string{"dbo.Orders", "dbo.OrderLines", "dbo.Customers"},
				Backups: [][]any{
					full(30, "2026-11-23 01:00", [2]int{30, 100}, [2]int{30, 200}, [2]int{30, 150}, true, share+`sales\Sales_FULL.bak`),
					other(31, "L", "2026-11-23 06:00", [2]int{29, 900}, [2]int{30, 300}, [2]int{30, 150}, [2]int{30, 150}, share+`sales\Sales_LOG_1.trn`),
					other(32, "I", "2026-11-24 02:00", [2]int{30, 350}, [2]int{30, 400}, [2]int{30, 360}, [2]int{30, 150}, share+`sales\Sales_DIFF.bak`),
					other(33, "L", "2026-11-24 06:00", [2]int{30, 300}, [2]int{30, 500}, [2]int{30, 360}, [2]int{30, 150}, share+`sales\Sales_LOG_2.trn`),
					// The missing Sales_LOG_3: a maintenance job backed the log up to NUL.
					other(34, "L", "2026-11-24 12:00", [2]int{30, 500}, [2]int{30, 600}, [2]int{30, 360}, [2]int{30, 150}, "NUL"),
					other(35, "L", "2026-11-24 18:00", [2]int{30, 600}, [2]int{30, 700}, [2]int{30, 360}, [2]int{30, 150}, share+`sales\Sales_LOG_4.trn`),
				}},
			{ID: 6, Name: "HR", State: "ONLINE", Recovery: "FULL", Compat: 130, Encrypted: true, Containment: "NONE",
				Files:  [][]any{{1, "ROWS", "HR", `D:\data\HR.mdf`, int64(6400)}, {2, "LOG", "HR_log", `L:\log\HR_log.ldf`, int64(1280)}},
				Tables: []string{"dbo.Employees", "dbo.Salaries"},
				Backups: [][]any{
					full(50, "2026-11-23 01:30", [2]int{50, 100}, [2]int{50, 200}, [2]int{50, 150}, false, share+`hr\HR_FULL.bak`),
					other(51, "L", "2026-11-23 07:00", [2]int{50, 100}, [2]int{50, 400}, [2]int{50, 150}, [2]int{50, 150}, share+`hr\HR_LOG_1.trn`),
				}},
			{ID: 7, Name: "Inventory", State: "ONLINE", Recovery: "FULL", Compat: 130, Containment: "NONE", AG: "AG-PROD",
				Files:  [][]any{{1, "ROWS", "Inventory", `D:\data\Inventory.mdf`, int64(64000)}, {2, "LOG", "Inventory_log", `L:\log\Inventory_log.ldf`, int64(8000)}},
				Tables: []string{"dbo.Items", "dbo.Stock"},
				Backups: [][]any{
					full(41, "2026-11-23 02:00", [2]int{41, 100}, [2]int{41, 200}, [2]int{41, 150}, true, share+`inventory\Inventory_FULL.bak`),
					other(42, "L", "2026-11-23 08:00", [2]int{41, 120}, [2]int{41, 300}, [2]int{41, 150}, [2]int{41, 150}, share+`inventory\Inventory_LOG_1.trn`),
					other(43, "L", "2026-11-23 14:00", [2]int{41, 300}, [2]int{41, 450}, [2]int{41, 150}, [2]int{41, 150}, share+`inventory\Inventory_LOG_2.trn`),
				}},
			{ID: 8, Name: "Payroll", State: "ONLINE", Recovery: "SIMPLE", Compat: 130, Containment: "NONE",
				Files:  [][]any{{1, "ROWS", "Payroll", `D:\data\Payroll.mdf`, int64(3200)}, {2, "LOG", "Payroll_log", `L:\log\Payroll_log.ldf`, int64(640)}},
				Tables: []string{"dbo.Runs"},
				Backups: [][]any{
					full(60, "2026-11-23 01:45", [2]int{60, 100}, [2]int{60, 200}, [2]int{60, 150}, true, share+`hr\Payroll_FULL.bak`),
				}},
		},
		// The certificate protecting HR's key: its private key was never backed up.
		Certs:  [][]any{{"TDE_HR_2019", tde, nil, At("2029-12-31 00:00")}},
		DEKs:   [][]any{{6, 3, tde}},
		Logins: []string{`CORP\svc_sales`, `CORP\hr_readers`, "sales_app", "reporting"},
		Roles:  []string{"app_admins"},
		Creds:  []string{},
		Audits: []string{},
		Linked: []string{"ERP01"},
		Jobs:   []string{"Sales - nightly ETL", "Maintenance - log backup (NUL)"},
		SSIS:   []string{},
	}
}
