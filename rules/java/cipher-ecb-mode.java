import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

public class CardVault {
    private static final String TRANSFORMATION = "DESede/ECB/PKCS5Padding";

    public byte[] encryptNumber(SecretKey key, byte[] pan) throws Exception {
        // ruleid: freshet-java-cipher-ecb-mode
        Cipher cipher = Cipher.getInstance("AES/ECB/PKCS5Padding");
        cipher.init(Cipher.ENCRYPT_MODE, key);
        return cipher.doFinal(pan);
    }

    public byte[] defaultMode(SecretKey key, byte[] data) throws Exception {
        // ruleid: freshet-java-cipher-ecb-mode
        Cipher cipher = Cipher.getInstance("AES");
        cipher.init(Cipher.ENCRYPT_MODE, key);
        return cipher.doFinal(data);
    }

    public Cipher legacy() throws Exception {
        // ruleid: freshet-java-cipher-ecb-mode
        return Cipher.getInstance(TRANSFORMATION, "SunJCE");
    }

    public byte[] authenticated(SecretKey key, byte[] nonce, byte[] data) throws Exception {
        // ok: freshet-java-cipher-ecb-mode
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        return cipher.doFinal(data);
    }

    public Cipher keyWrap() throws Exception {
        // ok: freshet-java-cipher-ecb-mode
        return Cipher.getInstance("RSA/ECB/OAEPWithSHA-256AndMGF1Padding");
    }
}
