#!/usr/bin/env node
// The `wardwatch-storage` command. A committed launcher (not dist/cli.js itself) so package managers can link the bin before
// the package is built; it runs the built CLI.
import '../dist/cli.js';
