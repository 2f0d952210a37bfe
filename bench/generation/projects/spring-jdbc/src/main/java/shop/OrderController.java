package shop;

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
    String orders(@RequestParam String status) throws Exception {
        ResultSet rows = connection.createStatement().executeQuery("SELECT id FROM orders WHERE status = '" + status + "'");
        return rows.next() ? rows.getString(1) : "";
    }
}
