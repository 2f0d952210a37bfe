package dev.freshet.updates.learning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.engine.models.HttpAnomalyModel;
import dev.freshet.engine.models.HttpRequest;
import dev.freshet.engine.models.ProfileSet;
import dev.freshet.engine.models.TrafficRecord;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionGuardTest {
    private static final HttpAnomalyModel MODEL = model();

    private static HttpAnomalyModel model() {
        ProfileSet profiles = new ProfileSet();
        ShopTraffic.targets(2_000, 1, List.of("item", "search")).forEach(target -> profiles.learn(ShopTraffic.request(target)));
        return new HttpAnomalyModel(profiles, 0.5);
    }

    private static TrafficRecord record(String target, int status, String client) {
        return new TrafficRecord(ShopTraffic.request(target), status, client);
    }

    @Test
    void poisonedTrafficIsQuarantinedForEachIndependentSignal() {
        AdmissionGuard guard = new AdmissionGuard(MODEL, AttackPayloads.ofPayloads(List.of("<svg onload=alert(1)>")), 3);
        AdmissionGuard.Admission admission = guard.admit(List.of(
                record("/shop/item?id=7&name=Ana", 200, "10.0.0.1"),
                record("/shop/item?id=7&name=Ana", 404, "10.0.0.1"),
                record("/shop/item?id=7%27+or+1%3D1--&name=Ana", 200, "10.0.0.2"),
                record("/shop/search?q=" + ShopTraffic.encode("<svg onload=alert(1)>") + "&page=1", TrafficRecord.NO_STATUS, "10.0.0.3")));
        assertThat(admission.admitted()).hasSize(1);
        assertThat(admission.quarantined()).extracting(AdmissionGuard.Quarantined::reason).containsExactly(
                AdmissionGuard.Reason.NON_2XX_STATUS, AdmissionGuard.Reason.ABOVE_THRESHOLD, AdmissionGuard.Reason.ATTACK_PAYLOAD);
        assertThat(admission.quarantined().get(1).detail()).contains("never seen");
    }

    @Test
    void newRouteNeedsSeveralDistinctClients() {
        AdmissionGuard guard = new AdmissionGuard(MODEL, AttackPayloads.none(), 3);
        List<TrafficRecord> oneClient = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            oneClient.add(record("/shop/cart?sku=" + (1000 + i) + "&qty=1", 200, "10.9.9.9"));
        }
        AdmissionGuard.Admission fromOne = guard.admit(oneClient);
        assertThat(fromOne.admitted()).isEmpty();
        assertThat(fromOne.waiting()).isEqualTo(50);

        List<TrafficRecord> threeClients = new ArrayList<>(oneClient);
        threeClients.add(record("/shop/cart?sku=2000&qty=2", 200, "10.9.9.8"));
        threeClients.add(record("/shop/cart?sku=2001&qty=3", 200, "10.9.9.7"));
        assertThat(guard.admit(threeClients).admitted()).hasSize(52);
    }

    @Test
    void newParameterOnAKnownRouteAlsoWaitsForClients() {
        AdmissionGuard guard = new AdmissionGuard(MODEL, AttackPayloads.none(), 2);
        AdmissionGuard.Admission admission = guard.admit(List.of(record("/shop/item?id=3&name=Eva&ref=mail", 200, "10.0.0.1")));
        assertThat(admission.admitted()).isEmpty();
        assertThat(admission.waiting()).isEqualTo(1);
        HttpRequest twice = ShopTraffic.request("/shop/item?id=4&name=Eva&ref=web");
        assertThat(guard.admit(List.of(record("/shop/item?id=3&name=Eva&ref=mail", 200, "10.0.0.1"),
                new TrafficRecord(twice, 200, "10.0.0.2"))).admitted()).hasSize(2);
    }
}
