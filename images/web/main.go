// kubaeum-web: the small HTTP server that Kubaeum's lab pods run (images kubaeum/web:<version>
// and kubaeum/crashloop:1.0). Built with -ldflags "-X main.version=..." per image tag; the
// crashloop image also sets -X main.requireAppMode=yes, so it fails the way a misconfigured
// app does until the student sets APP_MODE.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

var (
	version        = "dev"
	requireAppMode = ""
)

// envDefault lets every flag also come from the environment (flags win).
func envDefault(name, fallback string) string {
	if v, ok := os.LookupEnv(name); ok {
		return v
	}
	return fallback
}

func envSeconds(name string) int {
	v, err := strconv.Atoi(envDefault(name, "0"))
	if err != nil {
		return 0
	}
	return v
}

type recorder struct {
	http.ResponseWriter
	status int
}

func (r *recorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func main() {
	log.SetFlags(0)
	log.SetOutput(os.Stdout)
	if requireAppMode != "" && os.Getenv("APP_MODE") == "" {
		fmt.Println("error: APP_MODE is not set")
		os.Exit(1)
	}
	port := flag.String("port", envDefault("PORT", "8080"), "port to listen on")
	text := flag.String("text", envDefault("TEXT", ""), "text added to the body of /")
	files := flag.String("files", envDefault("FILES", ""), "serve the files of this directory under /files/")
	healthzFailAfter := flag.Int("healthz-fail-after", envSeconds("HEALTHZ_FAIL_AFTER"),
		"after this many seconds /healthz answers 500 (0 = never)")
	exitAfter := flag.Int("exit-after", envSeconds("EXIT_AFTER"), "exit 1 after this many seconds (0 = never)")
	flag.Parse()

	started := time.Now()
	hostname, _ := os.Hostname()
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		if *healthzFailAfter > 0 && time.Since(started) > time.Duration(*healthzFailAfter)*time.Second {
			http.Error(w, "unhealthy", http.StatusInternalServerError)
			return
		}
		fmt.Fprint(w, "ok")
	})
	mux.HandleFunc("/version", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, version)
	})
	if *files != "" {
		mux.Handle("/files/", http.StripPrefix("/files/", http.FileServer(http.Dir(*files))))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprintf(w, "kubaeum-web %s host=%s\n%s\n", version, hostname, *text)
	})
	logged := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		mux.ServeHTTP(rec, r)
		log.Printf("%s %s %d", r.Method, r.URL.Path, rec.status)
	})
	if *exitAfter > 0 {
		go func() {
			time.Sleep(time.Duration(*exitAfter) * time.Second)
			log.Printf("kubaeum-web %s exiting after %d s", version, *exitAfter)
			os.Exit(1)
		}()
	}
	addr := ":" + strings.TrimPrefix(*port, ":")
	log.Printf("kubaeum-web %s listening on %s", version, addr)
	if err := http.ListenAndServe(addr, logged); err != nil {
		log.Printf("error: %v", err)
		os.Exit(1)
	}
}
