package dev.freshet.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A Java interface's body is Semgrep's class body: the members a pattern names are found in any order among others. */
class JavaInterfaceTest extends EngineTestSupport {

    @Test
    void interfaceMemberIsFoundAmongOthers() {
        String yaml = pattern("java", """
                interface $I extends Remote {
                  $R $M(Object $P) throws RemoteException;
                }
                """);
        assertThat(lines(scan(yaml, "T.java", """
                public interface A extends Remote {
                   boolean first(String id) throws RemoteException;
                   void second(Object o) throws RemoteException;
                }
                interface B extends Remote {
                   boolean only(String id) throws RemoteException;
                }
                """))).containsExactly(1);
    }
}
