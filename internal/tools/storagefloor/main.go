// Command storagefloor measures dmsready's storage scan against its floor on
// any container or share: the floor lists and issues the same head and tail
// ranged GETs per file with the same SDK and concurrency, decoding nothing;
// the inventory lists and reads every backup header. Both run in turn, the
// same number of times, and the ratio is printed.
//
//	storagefloor -location 'https://acct.blob.core.windows.net/ctr?SAS' [-concurrency 8] [-runs 3]
//
// Credentials as for dmsready: a SAS in the URL, AZURE_STORAGE_CONNECTION_STRING,
// -account-key, or Microsoft Entra.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"time"

	"github.com/dmsready/dmsready/internal/storage"
)

func main() {
	loc := flag.String("location", "", "container URL or folder")
	key := flag.String("account-key", "", "storage account key (with a container URL)")
	auth := flag.String("auth", "", "sas | connection-string | account-key | entra | none (default: auto)")
	conc := flag.Int("concurrency", storage.DefaultConcurrency, "ranged reads in flight")
	runs := flag.Int("runs", 3, "runs of each")
	flag.Parse()
	if *loc == "" {
		fmt.Fprintln(os.Stderr, "storagefloor: -location is required")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cfg := storage.Config{Location: *loc, AccountKey: *key, Auth: *auth, Concurrency: *conc, ReadHeaders: true, Getenv: os.Getenv}

	var floor, inv time.Duration
	var fs storage.FloorStats
	var files, reads int
	var bytes int64
	for i := range *runs {
		runtime.GC()
		t := time.Now()
		var err error
		fs, err = storage.Floor(ctx, cfg)
		floor += time.Since(t)
		if err != nil {
			fmt.Fprintln(os.Stderr, "storagefloor: floor:", err)
			os.Exit(1)
		}
		runtime.GC()
		t = time.Now()
		st, errs := storage.Collect(ctx, cfg)
		inv += time.Since(t)
		if len(errs) > 0 {
			fmt.Fprintln(os.Stderr, "storagefloor: inventory:", errs[0].Error())
			os.Exit(1)
		}
		files, reads, bytes = len(st.Files), st.Reads, st.BytesRead
		fmt.Printf("run %d: floor %s, inventory %s\n", i+1, floor/time.Duration(i+1), inv/time.Duration(i+1))
	}
	n := time.Duration(*runs)
	fmt.Printf("files %d  floor %s (%d GETs)  inventory %s (%d GETs, %.0f bytes/file)  ratio %.2f\n",
		files, floor/n, fs.Reads, inv/n, reads, float64(bytes)/float64(max(files, 1)), inv.Seconds()/floor.Seconds())
}
