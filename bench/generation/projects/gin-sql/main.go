package main

import (
	"database/sql"
	"os/exec"

	"github.com/gin-gonic/gin"
	_ "github.com/lib/pq"
)

func main() {
	db, _ := sql.Open("postgres", "postgres://localhost/orders")
	r := gin.Default()
	r.GET("/orders", func(c *gin.Context) {
		customer := c.Query("customer")
		rows, _ := db.Query("SELECT id FROM orders WHERE customer = '" + customer + "'")
		defer rows.Close()
		c.Status(200)
	})
	r.GET("/ping", func(c *gin.Context) {
		out, _ := exec.Command("sh", "-c", "ping -c 1 "+c.Query("host")).Output()
		c.String(200, string(out))
	})
	r.Run()
}
