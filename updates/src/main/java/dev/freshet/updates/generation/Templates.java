package dev.freshet.updates.generation;

import dev.freshet.engine.deps.Stack;
import dev.freshet.engine.parse.Language;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The offline generator's knowledge: per framework and weakness, where untrusted data enters
 * (sources), which calls of which libraries must not receive it (sinks) and what makes it harmless
 * (sanitizers), with a vulnerable and a safe example for each library. A target fits a stack when
 * the stack has the framework and the library ("built-in" libraries come with the language).
 */
public final class Templates {
    /** The library of calls every program of the language can make. */
    public static final String BUILT_IN = "built-in";

    private record Sinks(String library, List<String> sinks, String vulnerable, String safe) {
    }

    /** @param within where a source is one ("" for anywhere): Spring's sources are the handler's annotated parameters */
    private record Template(String framework, Weakness weakness, Language language, String extension, List<String> sources,
                            String within, List<String> sanitizers, List<Sinks> libraries) {
        Template(String framework, Weakness weakness, Language language, String extension, List<String> sources, List<String> sanitizers,
                 List<Sinks> libraries) {
            this(framework, weakness, language, extension, sources, "", sanitizers, libraries);
        }
    }

    private static final List<String> EXPRESS_SOURCES = List.of("$REQ.query", "$REQ.body", "$REQ.params", "$REQ.cookies");
    private static final List<String> FLASK_SOURCES = List.of("request.args", "request.form", "request.values", "request.cookies",
            "request.get_json(...)");
    private static final List<String> GIN_SOURCES = List.of("$C.Query(...)", "$C.DefaultQuery(...)", "$C.Param(...)",
            "$C.PostForm(...)", "$C.GetHeader(...)");
    private static final List<String> DJANGO_SOURCES = List.of("request.GET", "request.POST", "request.COOKIES", "request.body",
            "request.headers", "request.FILES");
    private static final List<String> RAILS_SOURCES = List.of("params", "cookies", "request.headers", "request.body");
    private static final List<String> LARAVEL_SOURCES = List.of("$REQ->input(...)", "$REQ->query(...)", "$REQ->get(...)",
            "$REQ->all()", "$REQ->header(...)", "$REQ->cookie(...)", "request(...)");

    private static final List<Template> CATALOG = List.of(
            new Template("Express", Weakness.NOSQL_INJECTION, Language.JAVASCRIPT, "js", EXPRESS_SOURCES,
                    List.of("String(...)", "$SAN.sanitize(...)", "sanitize(...)"),
                    List.of(new Sinks("Mongoose", List.of("$M.find(...)", "$M.findOne(...)", "$M.findOneAndUpdate(...)",
                            "$M.updateOne(...)", "$M.deleteOne(...)", "$M.deleteMany(...)", "$M.where(...)"), """
                            const express = require('express');
                            const User = require('./models/user');
                            const app = express();

                            app.get('/users', async (req, res) => {
                              const users = await User.find({ name: req.query.name });
                              res.json(users);
                            });
                            """, """
                            const express = require('express');
                            const User = require('./models/user');
                            const app = express();

                            app.get('/users', async (req, res) => {
                              const users = await User.find({ name: String(req.query.name) });
                              res.json(users);
                            });
                            """),
                            new Sinks("MongoDB", List.of("$C.find(...)", "$C.findOne(...)", "$C.updateOne(...)", "$C.deleteMany(...)"), """
                            const express = require('express');
                            const app = express();

                            app.post('/login', async (req, res) => {
                              const user = await app.locals.db.collection('users').findOne({ user: req.body.user, pass: req.body.pass });
                              res.json({ ok: user !== null });
                            });
                            """, """
                            const express = require('express');
                            const app = express();

                            app.post('/login', async (req, res) => {
                              const user = await app.locals.db.collection('users').findOne({ user: String(req.body.user), pass: String(req.body.pass) });
                              res.json({ ok: user !== null });
                            });
                            """))),
            new Template("Express", Weakness.COMMAND_INJECTION, Language.JAVASCRIPT, "js", EXPRESS_SOURCES, List.of("$Q.quote(...)"),
                    List.of(new Sinks(BUILT_IN, List.of("exec(...)", "execSync(...)", "$CP.exec(...)", "$CP.execSync(...)"), """
                            const express = require('express');
                            const { exec } = require('child_process');
                            const app = express();

                            app.get('/ping', (req, res) => {
                              exec('ping -c 1 ' + req.query.host, (err, out) => res.type('text').send(out));
                            });
                            """, """
                            const express = require('express');
                            const { execFile } = require('child_process');
                            const app = express();

                            app.get('/ping', (req, res) => {
                              execFile('ping', ['-c', '1', req.query.host], (err, out) => res.type('text').send(out));
                            });
                            """))),
            new Template("Express", Weakness.XSS, Language.JAVASCRIPT, "js", EXPRESS_SOURCES,
                    List.of("escapeHtml(...)", "$E.escape(...)", "encodeURIComponent(...)"),
                    List.of(new Sinks(BUILT_IN, List.of("$RES.send(...)", "$RES.write(...)", "$RES.end(...)"), """
                            const express = require('express');
                            const app = express();

                            app.get('/hello', (req, res) => {
                              res.send('<h1>Hello ' + req.query.name + '</h1>');
                            });
                            """, """
                            const express = require('express');
                            const escapeHtml = require('escape-html');
                            const app = express();

                            app.get('/hello', (req, res) => {
                              res.send('<h1>Hello ' + escapeHtml(req.query.name) + '</h1>');
                            });
                            """))),
            new Template("Express", Weakness.SQL_INJECTION, Language.JAVASCRIPT, "js", EXPRESS_SOURCES, List.of("parseInt(...)", "Number(...)"),
                    List.of(new Sinks("node-postgres", List.of("$DB.query(\"...\" + $X, ...)", "$DB.query(`...${$X}...`, ...)"), """
                            const express = require('express');
                            const { Pool } = require('pg');
                            const app = express();
                            const pool = new Pool();

                            app.get('/orders', async (req, res) => {
                              const result = await pool.query("SELECT * FROM orders WHERE customer = '" + req.query.customer + "'");
                              res.json(result.rows);
                            });
                            """, """
                            const express = require('express');
                            const { Pool } = require('pg');
                            const app = express();
                            const pool = new Pool();

                            app.get('/orders', async (req, res) => {
                              const result = await pool.query('SELECT * FROM orders WHERE customer = $1', [req.query.customer]);
                              res.json(result.rows);
                            });
                            """))),
            new Template("Flask", Weakness.SQL_INJECTION, Language.PYTHON, "py", FLASK_SOURCES, List.of("int(...)"),
                    List.of(new Sinks(BUILT_IN, List.of("$CUR.execute(\"...\" % $X, ...)", "$CUR.execute(\"...\" + $X, ...)",
                            "$CUR.execute(f\"...\", ...)", "$CUR.execute(\"...\".format(...), ...)"), """
                            import sqlite3
                            from flask import Flask, request

                            app = Flask(__name__)

                            @app.route("/users")
                            def users():
                                name = request.args.get("name")
                                cur = sqlite3.connect("app.db").cursor()
                                cur.execute("SELECT * FROM users WHERE name = '%s'" % name)
                                return {"users": cur.fetchall()}
                            """, """
                            import sqlite3
                            from flask import Flask, request

                            app = Flask(__name__)

                            @app.route("/users")
                            def users():
                                name = request.args.get("name")
                                cur = sqlite3.connect("app.db").cursor()
                                cur.execute("SELECT * FROM users WHERE name = ?", (name,))
                                return {"users": cur.fetchall()}
                            """))),
            new Template("Flask", Weakness.COMMAND_INJECTION, Language.PYTHON, "py", FLASK_SOURCES, List.of("shlex.quote(...)"),
                    List.of(new Sinks(BUILT_IN, List.of("os.system(...)", "os.popen(...)", "subprocess.$F(..., shell=True, ...)"), """
                            import os
                            from flask import Flask, request

                            app = Flask(__name__)

                            @app.route("/ping")
                            def ping():
                                host = request.args.get("host")
                                os.system("ping -c 1 " + host)
                                return "sent"
                            """, """
                            import subprocess
                            from flask import Flask, request

                            app = Flask(__name__)

                            @app.route("/ping")
                            def ping():
                                host = request.args.get("host")
                                subprocess.run(["ping", "-c", "1", host])
                                return "sent"
                            """))),
            new Template("Spring", Weakness.SQL_INJECTION, Language.JAVA, "java", List.of("$P"),
                    "$RET $M(..., @RequestParam $T $P, ...) { ... }", List.of("Integer.parseInt(...)", "Long.parseLong(...)"),
                    List.of(new Sinks(BUILT_IN, List.of("$ST.executeQuery(...)", "$ST.executeUpdate(...)", "$ST.execute(...)",
                            "$C.prepareStatement(...)"), """
                            import java.sql.Connection;
                            import java.sql.ResultSet;
                            import org.springframework.web.bind.annotation.GetMapping;
                            import org.springframework.web.bind.annotation.RequestParam;
                            import org.springframework.web.bind.annotation.RestController;

                            @RestController
                            class OrderController {
                                private final Connection connection;

                                OrderController(Connection connection) {
                                    this.connection = connection;
                                }

                                @GetMapping("/orders")
                                String orders(@RequestParam String customer) throws Exception {
                                    ResultSet rows = connection.createStatement()
                                            .executeQuery("SELECT id FROM orders WHERE customer = '" + customer + "'");
                                    return rows.next() ? rows.getString(1) : "";
                                }
                            }
                            """, """
                            import java.sql.Connection;
                            import java.sql.PreparedStatement;
                            import java.sql.ResultSet;
                            import org.springframework.web.bind.annotation.GetMapping;
                            import org.springframework.web.bind.annotation.RequestParam;
                            import org.springframework.web.bind.annotation.RestController;

                            @RestController
                            class OrderController {
                                private final Connection connection;

                                OrderController(Connection connection) {
                                    this.connection = connection;
                                }

                                @GetMapping("/orders")
                                String orders(@RequestParam String customer) throws Exception {
                                    PreparedStatement statement = connection.prepareStatement("SELECT id FROM orders WHERE customer = ?");
                                    statement.setString(1, customer);
                                    ResultSet rows = statement.executeQuery();
                                    return rows.next() ? rows.getString(1) : "";
                                }
                            }
                            """))),
            new Template("Gin", Weakness.SQL_INJECTION, Language.GO, "go", GIN_SOURCES, List.of("strconv.Atoi(...)"),
                    List.of(new Sinks(BUILT_IN, List.of("$DB.Query($Q + $X, ...)", "$DB.Exec($Q + $X, ...)", "$DB.QueryRow($Q + $X, ...)",
                            "$DB.Query(fmt.Sprintf(...), ...)", "$DB.Exec(fmt.Sprintf(...), ...)", "$DB.QueryRow(fmt.Sprintf(...), ...)"), """
                            package main

                            import (
                            	"database/sql"

                            	"github.com/gin-gonic/gin"
                            )

                            func orders(db *sql.DB) gin.HandlerFunc {
                            	return func(c *gin.Context) {
                            		customer := c.Query("customer")
                            		rows, _ := db.Query("SELECT id FROM orders WHERE customer = '" + customer + "'")
                            		defer rows.Close()
                            		c.Status(200)
                            	}
                            }
                            """, """
                            package main

                            import (
                            	"database/sql"

                            	"github.com/gin-gonic/gin"
                            )

                            func orders(db *sql.DB) gin.HandlerFunc {
                            	return func(c *gin.Context) {
                            		customer := c.Query("customer")
                            		rows, _ := db.Query("SELECT id FROM orders WHERE customer = ?", customer)
                            		defer rows.Close()
                            		c.Status(200)
                            	}
                            }
                            """))),
            new Template("Gin", Weakness.COMMAND_INJECTION, Language.GO, "go", GIN_SOURCES, List.of(),
                    List.of(new Sinks(BUILT_IN, List.of("exec.Command(\"sh\", \"-c\", ...)", "exec.Command(\"bash\", \"-c\", ...)"), """
                            package main

                            import (
                            	"os/exec"

                            	"github.com/gin-gonic/gin"
                            )

                            func ping(c *gin.Context) {
                            	host := c.Query("host")
                            	out, _ := exec.Command("sh", "-c", "ping -c 1 "+host).Output()
                            	c.String(200, string(out))
                            }
                            """, """
                            package main

                            import (
                            	"os/exec"

                            	"github.com/gin-gonic/gin"
                            )

                            func ping(c *gin.Context) {
                            	host := c.Query("host")
                            	out, _ := exec.Command("ping", "-c", "1", host).Output()
                            	c.String(200, string(out))
                            }
                            """))),
            new Template("Django", Weakness.SQL_INJECTION, Language.PYTHON, "py", DJANGO_SOURCES, List.of("int(...)"),
                    List.of(examples("django", Weakness.SQL_INJECTION, "py", BUILT_IN, List.of("$M.objects.raw(\"...\" % $X, ...)",
                            "$M.objects.raw(\"...\" + $X, ...)", "$M.objects.raw(f\"...\", ...)", "$CUR.execute(\"...\" % $X, ...)",
                            "$CUR.execute(\"...\" + $X, ...)", "$CUR.execute(f\"...\", ...)", "RawSQL(\"...\" % $X, ...)")))),
            new Template("Django", Weakness.COMMAND_INJECTION, Language.PYTHON, "py", DJANGO_SOURCES, List.of("shlex.quote(...)"),
                    List.of(examples("django", Weakness.COMMAND_INJECTION, "py", BUILT_IN, List.of("os.system(...)", "os.popen(...)",
                            "subprocess.$F(..., shell=True, ...)")))),
            new Template("Django", Weakness.XSS, Language.PYTHON, "py", DJANGO_SOURCES,
                    List.of("escape(...)", "html.escape(...)", "conditional_escape(...)", "format_html(...)"),
                    List.of(examples("django", Weakness.XSS, "py", BUILT_IN, List.of("HttpResponse(...)", "mark_safe(...)",
                            "SafeString(...)")))),
            new Template("Rails", Weakness.SQL_INJECTION, Language.RUBY, "rb", RAILS_SOURCES,
                    List.of("$X.to_i", "sanitize_sql(...)", "$M.sanitize_sql(...)", "$C.quote(...)"),
                    List.of(examples("rails", Weakness.SQL_INJECTION, "rb", BUILT_IN, List.of("$M.where(\"...\" + $X, ...)",
                            "$M.find_by_sql(\"...\" + $X, ...)", "$M.order(\"...\" + $X)", "$C.execute(\"...\" + $X)")))),
            new Template("Rails", Weakness.COMMAND_INJECTION, Language.RUBY, "rb", RAILS_SOURCES,
                    List.of("Shellwords.escape(...)", "$X.shellescape"),
                    List.of(examples("rails", Weakness.COMMAND_INJECTION, "rb", BUILT_IN, List.of("system(\"...\" + $X)",
                            "exec(\"...\" + $X)", "IO.popen(\"...\" + $X, ...)", "Open3.capture2(\"...\" + $X, ...)")))),
            new Template("Rails", Weakness.XSS, Language.RUBY, "rb", RAILS_SOURCES,
                    List.of("ERB::Util.html_escape(...)", "CGI.escapeHTML(...)", "h(...)", "sanitize(...)"),
                    List.of(examples("rails", Weakness.XSS, "rb", BUILT_IN, List.of("$X.html_safe", "raw(...)")))),
            new Template("Laravel", Weakness.SQL_INJECTION, Language.PHP, "php", LARAVEL_SOURCES, List.of("intval(...)"),
                    List.of(examples("laravel", Weakness.SQL_INJECTION, "php", BUILT_IN, List.of("DB::select($S . $X, ...)",
                            "DB::statement($S . $X, ...)", "DB::raw($S . $X)", "$Q->whereRaw($S . $X, ...)")))),
            new Template("Laravel", Weakness.COMMAND_INJECTION, Language.PHP, "php", LARAVEL_SOURCES,
                    List.of("escapeshellarg(...)", "escapeshellcmd(...)"),
                    List.of(examples("laravel", Weakness.COMMAND_INJECTION, "php", BUILT_IN, List.of("shell_exec(...)", "exec(...)",
                            "system(...)", "passthru(...)", "proc_open(...)")))),
            new Template("Laravel", Weakness.XSS, Language.PHP, "php", LARAVEL_SOURCES, List.of("e(...)", "htmlspecialchars(...)",
                    "htmlentities(...)"),
                    List.of(examples("laravel", Weakness.XSS, "php", BUILT_IN, List.of("response(...)", "echo ...;", "print(...)")))));

    private Templates() {
    }

    /**
     * Sinks whose vulnerable and safe examples are files of the catalog
     * ({@code generation/examples/<framework>/<weakness>.vulnerable.<ext>} and {@code .safe.<ext>}).
     */
    private static Sinks examples(String framework, Weakness weakness, String extension, String library, List<String> sinks) {
        String base = "/generation/examples/" + framework + "/" + weakness.slug();
        return new Sinks(library, sinks, resource(base + ".vulnerable." + extension), resource(base + ".safe." + extension));
    }

    private static String resource(String path) {
        try (InputStream in = Templates.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("the template catalog lacks " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path + " of the template catalog", e);
        }
    }

    /** Every target that fits the stack, in the catalog's order, each with the id {@code idPrefix + key}. */
    public static List<Target> fitting(Stack stack, String idPrefix) {
        List<Target> targets = new ArrayList<>();
        for (Template template : CATALOG) {
            if (!stack.frameworks().contains(template.framework()) || !stack.languages().contains(template.language())) {
                continue;
            }
            for (Sinks sinks : template.libraries()) {
                if (sinks.library().equals(BUILT_IN) || stack.libraries().contains(sinks.library())) {
                    Target target = new Target("", template.weakness(), template.framework(), sinks.library(), template.language(),
                            template.extension(), template.sources(), template.within(), sinks.sinks(), template.sanitizers(), sinks.vulnerable(),
                            sinks.safe(), List.of());
                    targets.add(target.withRuleId(idPrefix + target.key()));
                    break; // one rule per framework and weakness: the first library the stack has
                }
            }
        }
        return targets;
    }
}
