// kubaeum-runc: an OCI runtime wrapper that edits a container's config, then runs the real runc.
//
// Why: on some VMs (this project's CI among them) the kernel's capability bounding set lacks
// CAP_SYS_RESOURCE (grep CapBnd /proc/self/status -> 000001fffeffffff). A privileged container
// asks for every capability, so runc fails with "unable to apply caps: operation not permitted";
// and the CRI asks oom_score_adj -998 for pod sandboxes, which needs CAP_SYS_RESOURCE to lower,
// so runc fails with "can't get final child's PID from pipe: EOF". This wrapper drops
// CAP_SYS_RESOURCE from every capability set the host cannot grant and raises a negative
// process.oomScoreAdj to 0, in the bundle's config.json (create/run) or the --process file
// (exec), and then execs runc with the same arguments. It changes nothing on hosts whose
// bounding set is complete. Used by the private Docker engine and inside kind node images.
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// capability numbers from linux/capability.h for the names runc accepts.
var capNumbers = map[string]uint{
	"CAP_CHOWN": 0, "CAP_DAC_OVERRIDE": 1, "CAP_DAC_READ_SEARCH": 2, "CAP_FOWNER": 3, "CAP_FSETID": 4,
	"CAP_KILL": 5, "CAP_SETGID": 6, "CAP_SETUID": 7, "CAP_SETPCAP": 8, "CAP_LINUX_IMMUTABLE": 9,
	"CAP_NET_BIND_SERVICE": 10, "CAP_NET_BROADCAST": 11, "CAP_NET_ADMIN": 12, "CAP_NET_RAW": 13,
	"CAP_IPC_LOCK": 14, "CAP_IPC_OWNER": 15, "CAP_SYS_MODULE": 16, "CAP_SYS_RAWIO": 17,
	"CAP_SYS_CHROOT": 18, "CAP_SYS_PTRACE": 19, "CAP_SYS_PACCT": 20, "CAP_SYS_ADMIN": 21,
	"CAP_SYS_BOOT": 22, "CAP_SYS_NICE": 23, "CAP_SYS_RESOURCE": 24, "CAP_SYS_TIME": 25,
	"CAP_SYS_TTY_CONFIG": 26, "CAP_MKNOD": 27, "CAP_LEASE": 28, "CAP_AUDIT_WRITE": 29,
	"CAP_AUDIT_CONTROL": 30, "CAP_SETFCAP": 31, "CAP_MAC_OVERRIDE": 32, "CAP_MAC_ADMIN": 33,
	"CAP_SYSLOG": 34, "CAP_WAKE_ALARM": 35, "CAP_BLOCK_SUSPEND": 36, "CAP_AUDIT_READ": 37,
	"CAP_PERFMON": 38, "CAP_BPF": 39, "CAP_CHECKPOINT_RESTORE": 40,
}

// boundingSet reads this process's capability bounding set; ok is false when it cannot.
func boundingSet() (uint64, bool) {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, found := strings.CutPrefix(line, "CapBnd:"); found {
			v, err := strconv.ParseUint(strings.TrimSpace(rest), 16, 64)
			return v, err == nil
		}
	}
	return 0, false
}

// fixProcess edits one OCI "process" object; it reports whether anything changed.
func fixProcess(process map[string]any, bounding uint64) bool {
	changed := false
	if caps, ok := process["capabilities"].(map[string]any); ok {
		for set, list := range caps {
			names, ok := list.([]any)
			if !ok {
				continue
			}
			kept := make([]any, 0, len(names))
			for _, n := range names {
				name, _ := n.(string)
				if num, known := capNumbers[strings.ToUpper(name)]; known && bounding&(1<<num) == 0 {
					changed = true
					continue
				}
				kept = append(kept, n)
			}
			caps[set] = kept
		}
	}
	if adj, ok := process["oomScoreAdj"].(float64); ok && adj < 0 {
		if bounding&(1<<capNumbers["CAP_SYS_RESOURCE"]) == 0 {
			process["oomScoreAdj"] = 0
			changed = true
		}
	}
	return changed
}

func editJSON(path string, process func(doc map[string]any) map[string]any, bounding uint64) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		return err
	}
	target := process(doc)
	if target == nil || !fixProcess(target, bounding) {
		return nil
	}
	out, err := json.Marshal(doc)
	if err != nil {
		return err
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, info.Mode().Perm())
}

// flagValue finds "--name value", "--name=value", "-s value" after index start.
func flagValue(args []string, start int, long, short string) (string, bool) {
	for i := start; i < len(args); i++ {
		a := args[i]
		if (a == long || a == short) && i+1 < len(args) {
			return args[i+1], true
		}
		if v, found := strings.CutPrefix(a, long+"="); found {
			return v, true
		}
	}
	return "", false
}

// realRunc is $KUBAEUM_RUNC, else "runc-real" next to this binary, else the first "runc" on
// PATH that is not this binary.
func realRunc() (string, error) {
	if p := os.Getenv("KUBAEUM_RUNC"); p != "" {
		return p, nil
	}
	self, _ := os.Executable()
	self, _ = filepath.EvalSymlinks(self)
	sibling := filepath.Join(filepath.Dir(self), "runc-real")
	if _, err := os.Stat(sibling); err == nil {
		return sibling, nil
	}
	for _, dir := range filepath.SplitList(os.Getenv("PATH") + ":/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin") {
		candidate := filepath.Join(dir, "runc")
		resolved, err := filepath.EvalSymlinks(candidate)
		if err != nil || resolved == self {
			continue
		}
		if info, err := os.Stat(resolved); err == nil && !info.IsDir() && info.Mode()&0o111 != 0 {
			return candidate, nil
		}
	}
	return "", fmt.Errorf("kubaeum-runc: no runc found (set KUBAEUM_RUNC)")
}

func main() {
	args := os.Args[1:]
	if bounding, ok := boundingSet(); ok {
		for i, a := range args {
			switch a {
			case "create", "run":
				bundle, found := flagValue(args, i+1, "--bundle", "-b")
				if !found {
					bundle, _ = os.Getwd()
				}
				err := editJSON(filepath.Join(bundle, "config.json"), func(doc map[string]any) map[string]any {
					p, _ := doc["process"].(map[string]any)
					return p
				}, bounding)
				if err != nil {
					fmt.Fprintln(os.Stderr, "kubaeum-runc:", err)
				}
			case "exec":
				if file, found := flagValue(args, i+1, "--process", "-p"); found {
					err := editJSON(file, func(doc map[string]any) map[string]any { return doc }, bounding)
					if err != nil {
						fmt.Fprintln(os.Stderr, "kubaeum-runc:", err)
					}
				}
			}
			if a == "create" || a == "run" || a == "exec" {
				break
			}
		}
	}
	runc, err := realRunc()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(127)
	}
	if err := syscall.Exec(runc, append([]string{runc}, args...), os.Environ()); err != nil {
		fmt.Fprintln(os.Stderr, "kubaeum-runc: exec", runc+":", err)
		os.Exit(127)
	}
}
