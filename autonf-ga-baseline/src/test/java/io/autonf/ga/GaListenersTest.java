package io.autonf.ga;

import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GaListenersTest {

    /** A listener that records "name:method" for every call it gets. */
    private static GaListener recorder(String name, List<String> calls) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("equals") ? proxy == args[0]
                        : method.getName().equals("hashCode") ? System.identityHashCode(proxy) : name;
            }
            calls.add(name + ":" + method.getName());
            return null;
        };
        return (GaListener) Proxy.newProxyInstance(GaListener.class.getClassLoader(),
                new Class<?>[]{GaListener.class}, handler);
    }

    @Test
    void everyMethodOfTheListenerReachesEveryListenerInOrder() throws Exception {
        List<String> calls = new ArrayList<>();
        GaListener all = GaListeners.all(List.of(recorder("a", calls), recorder("b", calls)));
        List<Method> methods = Arrays.stream(GaListener.class.getDeclaredMethods())
                .filter(m -> !m.isSynthetic() && !java.lang.reflect.Modifier.isStatic(m.getModifiers())).toList();
        for (Method m : methods) {
            calls.clear();
            m.invoke(all, new Object[m.getParameterCount()]);
            assertEquals(List.of("a:" + m.getName(), "b:" + m.getName()), calls, "forwards " + m.getName());
        }
        assertEquals(6, methods.size(), "a new listener method must be forwarded too: " + methods);
    }

    @Test
    void aNullListenerIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> GaListeners.all(Arrays.asList(GaListener.NONE, null)));
    }
}
