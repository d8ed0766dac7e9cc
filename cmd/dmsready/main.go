// Command dmsready finds, before cutover, every documented reason the Azure
// Database Migration Service would fail to migrate a SQL Server database.
package main

import (
	"os"

	"github.com/dmsready/dmsready/internal/cli"
)

func main() { os.Exit(cli.Main(os.Args[1:], os.Stdout, os.Stderr)) }
